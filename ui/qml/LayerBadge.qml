import QtQuick
import QtQuick.Controls

// A small coloured badge for a layer of the model: L1 storage … L4 access control.
Rectangle {
    id: badge

    property int level: 0 // layer 1…4; 0: none
    readonly property var colours: Theme.dark
        ? ["#4a5260", "#b48ae8", "#6aa8ff", "#4fc7b5", "#f0a35a"]
        : ["#5f6874", "#6b3fb3", "#1f55c4", "#0f7a6b", "#a4520d"]

    implicitWidth: 28
    implicitHeight: 20
    radius: 4
    color: colours[Math.max(0, Math.min(4, level))]
    Accessible.ignored: true

    Label {
        anchors.centerIn: parent
        text: badge.level > 0 ? "L" + badge.level : "–"
        color: "#ffffff"
        font.pixelSize: Theme.smallSize
        font.weight: Font.DemiBold
        Accessible.ignored: true
    }
}
