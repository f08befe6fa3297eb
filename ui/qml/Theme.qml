pragma Singleton
import QtQuick
import Gatehouse.Ui

// Colours and metrics for the light and the dark palette. Contrast of text on its surface is
// at least 4.5:1 in both (WCAG AA), errors included. Which one: ColorScheme (the desktop's
// colour scheme, else the person's remembered choice).
QtObject {
    readonly property bool dark: ColorScheme.dark

    readonly property color background: dark ? "#15181c" : "#eef1f5"
    readonly property color surface: dark ? "#1f2329" : "#ffffff"
    readonly property color surfaceAlt: dark ? "#262b32" : "#f6f8fa"
    readonly property color border: dark ? "#3a414b" : "#d5dbe2"
    readonly property color fieldBorder: dark ? "#58616d" : "#aeb7c2"
    readonly property color text: dark ? "#e8eaed" : "#1a1f26"
    readonly property color secondaryText: dark ? "#aab2bd" : "#4f5966"
    readonly property color accent: dark ? "#8ab4ff" : "#1f55c4"
    readonly property color accentHover: dark ? "#a4c4ff" : "#1a47a6"
    readonly property color accentText: dark ? "#0b1730" : "#ffffff"
    readonly property color disabled: dark ? "#3a414b" : "#c3cad3"
    readonly property color disabledText: dark ? "#8a929c" : "#5f6874"
    readonly property color error: dark ? "#ffa198" : "#b3261e"
    readonly property color errorBackground: dark ? "#3a1d1b" : "#fcebea"
    readonly property color success: dark ? "#7fd69b" : "#1b6e38"
    readonly property color noticeBackground: dark ? "#1c2a42" : "#e8f0fe"
    readonly property color header: dark ? "#0f1215" : "#172538"
    readonly property color headerText: "#ffffff"
    readonly property color headerSecondary: "#b8c4d4"

    readonly property int cardWidth: 420
    readonly property int maxContentWidth: 880 // a signed-in section's page, next to the sidebar
    readonly property int cardPadding: 28
    readonly property int radius: 8
    readonly property int fieldHeight: 36
    readonly property int titleSize: 22
    readonly property int bodySize: 14
    readonly property int smallSize: 12
}
