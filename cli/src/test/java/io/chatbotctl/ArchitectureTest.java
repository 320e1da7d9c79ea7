package io.chatbotctl;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.chatbotctl.core.archfixture.ImportsUpward;
import io.chatbotctl.core.archfixture.UsesPicocli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rules of design.md, read from the compiled main classes (tests may reach anywhere):
 * <ul>
 *   <li>package floors, top to bottom; a package imports only packages on a LOWER floor (never one on its own floor,
 *       never one above), and every package under {@code io.chatbotctl} stands on a floor;</li>
 *   <li>no package cycles;</li>
 *   <li>each outside system's library only in the packages that own that system.</li>
 * </ul>
 * The packages not written yet ({@code doctor}) have their floor and their libraries here already, so
 * they fit without exceptions.
 */
class ArchitectureTest {
    static final String ROOT = "io.chatbotctl";

    /** Floors, top (0) to ground. */
    static final List<Set<String>> FLOORS = List.of(
            Set.of("cli"),
            Set.of("demo", "canary", "doctor"),
            Set.of("eval", "loadtest", "deploy", "runbook", "cost", "proxy"),
            Set.of("openai", "prometheus", "kube", "config", "manifest", "modelsync", "sim"),
            Set.of("report"),
            Set.of("core"));

    /** Outside libraries and the only packages that may use them. */
    static final Map<String, Set<String>> OWNERS = Map.of(
            "picocli", Set.of("cli"),
            "io.fabric8", Set.of("kube", "deploy", "canary", "runbook", "doctor"),
            "software.amazon", Set.of("modelsync"),
            "io.netty", Set.of("openai", "sim", "proxy"),
            "io.lettuce", Set.of("proxy"),
            "org.gaul", Set.of("modelsync"),
            "org.eclipse.jetty", Set.of("modelsync"));

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void importsOnlyGoDownTheFloors() {
        assertTrue(main.size() > 300, "the main classes were found: " + main.size());
        floorsRule().check(main);
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void outsideLibrariesOnlyInTheirOwners() {
        for (ArchRule rule : ownerRules()) {
            rule.check(main);
        }
    }

    /** The rules catch what they are for: fixtures in test sources import upward and use picocli outside cli. */
    @Test
    void theRulesReportAWrongImport() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(ImportsUpward.class, UsesPicocli.class);
        EvaluationResult floors = floorsRule().evaluate(fixtures);
        assertTrue(floors.hasViolation(), "an import from core up to cli is reported");
        String report = floors.getFailureReport().toString();
        assertTrue(report.contains("ImportsUpward") && report.contains("io.chatbotctl.cli"), report);
        assertTrue(ownerRules().stream().anyMatch(r -> r.evaluate(fixtures).hasViolation()),
                "picocli outside cli is reported");

        JavaClasses clean = new ClassFileImporter().importClasses(io.chatbotctl.core.Durations.class);
        assertFalse(floorsRule().evaluate(clean).hasViolation(), "a class importing nothing upward passes");
    }

    static ArchRule floorsRule() {
        return classes().that().resideInAPackage(ROOT + "..")
                .should(importOnlyLowerFloors())
                .because("design.md: an import only ever goes down the floors");
    }

    static List<ArchRule> ownerRules() {
        List<ArchRule> rules = new ArrayList<>();
        OWNERS.forEach((library, owners) -> rules.add(noClasses()
                .that().resideInAPackage(ROOT + "..")
                .and(DescribedPredicate.describe("outside " + owners, (JavaClass c) -> !owners.contains(topPackage(c.getPackageName()))))
                .should().dependOnClassesThat().resideInAPackage(library + "..")
                .because(library + " belongs to " + owners)));
        return rules;
    }

    static ArchCondition<JavaClass> importOnlyLowerFloors() {
        return new ArchCondition<>("import only packages on lower floors") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String from = topPackage(item.getPackageName());
                int fromFloor = floor(from);
                if (fromFloor < 0) {
                    events.add(SimpleConditionEvent.violated(item, item.getName() + " is in package " + ROOT + "."
                            + from + ", which stands on no floor (add it to ArchitectureTest.FLOORS and design.md)"));
                    return;
                }
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    String targetPackage = dependency.getTargetClass().getPackageName();
                    if (!targetPackage.equals(ROOT) && !targetPackage.startsWith(ROOT + ".")) {
                        continue;
                    }
                    String to = topPackage(targetPackage);
                    if (to.equals(from)) {
                        continue;
                    }
                    int toFloor = floor(to);
                    if (toFloor <= fromFloor) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
                                + ": " + from + " (floor " + fromFloor + ") must not import " + ROOT + "." + to
                                + " (floor " + toFloor + ")"));
                    }
                }
            }
        };
    }

    /** {@code io.chatbotctl.canary.x} → {@code canary}; {@code io.chatbotctl} → "". */
    static String topPackage(String packageName) {
        if (!packageName.startsWith(ROOT + ".")) {
            return "";
        }
        String rest = packageName.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    static int floor(String topPackage) {
        for (int i = 0; i < FLOORS.size(); i++) {
            if (FLOORS.get(i).contains(topPackage)) {
                return i;
            }
        }
        return -1;
    }
}
