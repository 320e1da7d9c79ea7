package io.chatbotctl.cli;

import io.chatbotctl.config.EnvironmentConfig;
import io.chatbotctl.config.GatewaySettings;
import io.chatbotctl.config.ProjectConfig;
import io.chatbotctl.config.WorkloadNames;
import io.chatbotctl.report.Table;
import io.chatbotctl.report.Tabular;
import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "view", description = "Print the resolved configuration (after flags and CHATBOTCTL_* variables).")
public class ConfigViewCommand extends BaseCommand {

    @Override
    public Integer call() {
        ProjectConfig config = config();
        EnvironmentConfig selected = selectedEnvironment();
        List<EnvironmentConfig> envs = selected != null ? List.of(selected) : List.copyOf(config.environments().values());
        output().print(new ConfigView(config.source(), config.service(), config.model(), config.names(), config.gateway(), envs));
        return 0;
    }

    /** The resolved configuration. It holds no secrets: they never live in chatbotctl.yaml. */
    public record ConfigView(String source, String service, String model, WorkloadNames names, GatewaySettings gateway,
                             List<EnvironmentConfig> environments)
            implements Tabular {
        @Override
        public Table toTable() {
            Table.Builder table = Table.of("ENV", "CONTEXT", "NAMESPACE", "ENDPOINT", "PROMETHEUS", "MODEL URI", "OVERLAY");
            for (EnvironmentConfig e : environments) {
                table.row(e.name(), dash(e.context()), e.namespace(), dash(e.endpoint()), dash(e.prometheus()),
                        dash(e.modelUri()), dash(e.overlay()));
            }
            return table.note("").note("source: " + source + "   service: " + service + "   model: " + model)
                    .note("names: service " + names.service() + ", httpRoute " + names.httpRoute() + ", hpa " + names.hpa()
                            + ", configMap " + names.configMap() + ", pods " + names.appLabel() + ", track label " + names.trackLabel())
                    .note("gateway: canary header " + gateway.canaryHeader())
                    .build();
        }

        private static String dash(String s) {
            return s == null ? "-" : s;
        }
    }
}
