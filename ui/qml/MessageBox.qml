import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// An inline message: "error" (failure text from gh::describe) or "notice". Hidden when empty.
// An error with an `errorLayer` (1…4: the layer of the model that failed, gh::layerOf) carries its
// LayerBadge and the layer's name, as the audit log and health do (issue 13 item 7).
Rectangle {
    id: root

    property string text
    property string kind: "error"
    property int errorLayer: 0
    readonly property bool isError: kind === "error"
    readonly property bool showsLayer: isError && errorLayer >= 1 && errorLayer <= 4
    readonly property string layerTitle: [qsTr("General"), qsTr("Storage"), qsTr("Sign-in checks"),
                                          qsTr("Sessions"), qsTr("Permissions")][Math.max(0, Math.min(4, errorLayer))]

    Layout.fillWidth: true
    visible: text.length > 0
    implicitHeight: label.implicitHeight + 20
    radius: 6
    color: isError ? Theme.errorBackground : Theme.noticeBackground
    border.color: isError ? Theme.error : Theme.accent
    border.width: 1

    Rectangle {
        width: 4
        radius: 2
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.margins: 6
        color: root.isError ? Theme.error : Theme.accent
    }
    LayerBadge {
        id: badge
        objectName: root.objectName.length > 0 ? root.objectName + ".layer" : ""
        visible: root.showsLayer
        level: root.errorLayer
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.leftMargin: 16
        anchors.topMargin: 10
    }
    Text { // not a Label, which resets Accessible.role (see SectionHeader.qml)
        id: label
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.leftMargin: root.showsLayer ? 52 : 18
        anchors.rightMargin: 12
        text: root.text
        wrapMode: Text.WordWrap
        color: root.isError ? Theme.error : Theme.text
        font.pixelSize: Theme.bodySize
        // Qt 6.4: a Label with a name hides its text from AT-SPI, so changing text goes here.
        Accessible.role: root.isError ? Accessible.AlertMessage : Accessible.StaticText
        Accessible.name: root.showsLayer ? qsTr("Error in %1").arg(root.layerTitle)
                                         : root.isError ? qsTr("Error") : qsTr("Notice")
        Accessible.description: root.text
        // Orca reads an error each time it appears or changes (README, Accessibility).
        AlertAnnouncer { target: label; text: root.isError ? root.text : "" }
    }
}
