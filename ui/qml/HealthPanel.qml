import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Home's health summary: one line per layer (L1–L4) and its warnings, each warning with a link
// to the screen that fixes it (hidden when this build has no such screen).
ColumnLayout {
    id: panel
    objectName: "home.health"

    readonly property HealthModel model: AppController.health

    Layout.fillWidth: true
    spacing: 6

    RowLayout {
        Layout.fillWidth: true
        visible: panel.model.loading && panel.model.notes.length === 0
        BusyIndicator {
            running: parent.visible
            Layout.preferredWidth: 18
            Layout.preferredHeight: 18
            Accessible.name: qsTr("Checking the health of each layer")
        }
        Label {
            text: qsTr("Checking…")
            color: Theme.secondaryText
            font.pixelSize: Theme.bodySize
        }
    }

    Repeater {
        model: panel.model.notes
        delegate: RowLayout {
            id: line
            required property var modelData
            required property int index
            objectName: "home.health." + index
            Layout.fillWidth: true
            Layout.leftMargin: modelData.warning ? 36 : 0
            spacing: 8

            LayerBadge {
                visible: !line.modelData.warning
                level: line.modelData.layer
                Layout.alignment: Qt.AlignTop
            }
            Label {
                visible: line.modelData.warning
                text: "!"
                color: Theme.error
                font.pixelSize: Theme.bodySize
                font.weight: Font.Bold
                Layout.alignment: Qt.AlignTop
                Accessible.ignored: true
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    objectName: "home.health.text." + line.index
                    Layout.fillWidth: true
                    text: line.modelData.text
                    wrapMode: Text.WordWrap
                    color: line.modelData.warning ? Theme.error : Theme.text
                    font.pixelSize: Theme.bodySize
                    Accessible.role: Accessible.StaticText
                    Accessible.name: line.modelData.warning ? qsTr("Warning in %1").arg(line.modelData.layerTitle)
                                                            : line.modelData.layerTitle
                    Accessible.description: text
                }
                LinkButton {
                    objectName: "home.health.link." + line.index
                    visible: line.modelData.linkText.length > 0
                    text: line.modelData.linkText
                    padding: 0
                    topPadding: 2
                    bottomPadding: 2
                    onClicked: panel.model.open(line.modelData.screen)
                }
            }
        }
    }
}
