package io.chatbotctl.canary;

/** Kayenta's metric classes: canary the same as stable, significantly higher, significantly lower, or not enough data. */
public enum MetricClass {
    Pass, High, Low, NoData
}
