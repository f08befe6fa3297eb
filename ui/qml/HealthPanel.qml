import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Home's health summary, compact: a heading with the link to the audit log, one chip per layer
// (L1–L4, its brief state; the full line in the tooltip and for assistive technology), then the
// warnings, each with a link to the screen that fixes it (hidden when this build has none).
ColumnLayout {
    id: panel
    objectName: "home.health"

    readonly property HealthModel model: AppController.health

    Layout.fillWidth: true
    Layout.topMargin: 6
    spacing: 6

    RowLayout {
        Layout.fillWidth: true
        spacing: 8
        Label {
            text: qsTr("Health by layer")
            color: Theme.secondaryText
            font.pixelSize: Theme.smallSize
            font.weight: Font.DemiBold
            font.capitalization: Font.AllUppercase
            font.letterSpacing: 0.8
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        BusyIndicator {
            visible: panel.model.loading
            running: visible
            Layout.preferredWidth: 16
            Layout.preferredHeight: 16
            Accessible.name: qsTr("Checking the health of each layer")
        }
        Item { Layout.fillWidth: true }
        LinkButton {
            objectName: "home.audit"
            text: qsTr("Audit log ›")
            padding: 0
            topPadding: 0
            bottomPadding: 0
            font.pixelSize: Theme.smallSize + 1
            onClicked: AppController.showAudit()
            Accessible.name: qsTr("Open the audit log from the health summary")
        }
    }
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: 1
        color: Theme.border
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: 4
        Repeater {
            model: panel.model.layers
            delegate: Rectangle {
                id: chip
                required property var modelData
                required property int index
                objectName: "home.health.layer." + index
                Layout.fillWidth: true
                implicitHeight: 26
                radius: 13
                color: modelData.warnings > 0 ? Theme.errorBackground : Theme.surfaceAlt
                border.color: modelData.warnings > 0 ? Theme.error : tint
                readonly property color tint: ["#5f6874", "#6b3fb3", "#1f55c4", "#0f7a6b", "#a4520d"][Math.max(0, Math.min(4, modelData.layer))]
                implicitWidth: chipRow.implicitWidth + 16
                RowLayout {
                    id: chipRow
                    anchors.fill: parent
                    anchors.leftMargin: 9
                    anchors.rightMargin: 7
                    spacing: 4
                    Label {
                        text: chip.modelData.layerName
                        color: Theme.dark ? Theme.text : chip.tint
                        font.pixelSize: Theme.smallSize
                        font.weight: Font.Bold
                        Accessible.ignored: true
                    }
                    Label {
                        Layout.fillWidth: true
                        text: chip.modelData.brief
                        elide: Text.ElideRight
                        color: chip.modelData.warnings > 0 ? Theme.error : Theme.text
                        font.pixelSize: Theme.smallSize
                        Accessible.ignored: true
                    }
                }
                HoverHandler { id: chipHover }
                ToolTip.visible: chipHover.hovered
                ToolTip.text: chip.modelData.layerTitle + ": " + chip.modelData.summary
                Accessible.role: Accessible.StaticText
                Accessible.name: chip.modelData.layerTitle
                Accessible.description: chip.modelData.summary
            }
        }
    }

    Repeater {
        model: panel.model.warningNotes
        delegate: RowLayout {
            id: line
            required property var modelData
            required property int index
            objectName: "home.health.warning." + index
            Layout.fillWidth: true
            spacing: 6
            LayerBadge {
                level: line.modelData.layer
                Layout.alignment: Qt.AlignTop
            }
            Label {
                objectName: "home.health.warningText." + line.index
                Layout.fillWidth: true
                text: line.modelData.text
                wrapMode: Text.WordWrap
                color: Theme.error
                font.pixelSize: Theme.smallSize + 1
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Warning in %1").arg(line.modelData.layerTitle)
                Accessible.description: text
            }
            LinkButton {
                objectName: "home.health.link." + line.index
                visible: line.modelData.linkText.length > 0
                text: line.modelData.linkText
                padding: 0
                topPadding: 0
                bottomPadding: 0
                font.pixelSize: Theme.smallSize + 1
                Layout.alignment: Qt.AlignTop
                onClicked: AppController.health.open(line.modelData.screen)
            }
        }
    }
}
