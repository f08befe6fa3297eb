import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// The wizard's account panel: which factor categories the account holds and the assurance level
// a sign-in can reach with them (AccountAssurance from the core).
Rectangle {
    id: root

    property EnrollModel source

    Layout.fillWidth: true
    implicitHeight: column.implicitHeight + 24
    radius: 6
    color: Theme.surfaceAlt
    border.color: Theme.border

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 12
        spacing: 8

        Label {
            text: qsTr("Your account")
            color: Theme.secondaryText
            font.pixelSize: Theme.smallSize
            font.weight: Font.DemiBold
            font.capitalization: Font.AllUppercase
            font.letterSpacing: 0.8
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Repeater {
            model: root.source ? root.source.categories : []
            delegate: RowLayout {
                required property var modelData
                required property int index
                Layout.fillWidth: true
                spacing: 10
                Rectangle {
                    implicitWidth: 20
                    implicitHeight: 20
                    radius: 10
                    color: modelData.held ? Theme.success : "transparent"
                    border.color: modelData.held ? Theme.success : Theme.fieldBorder
                    border.width: 2
                    Accessible.ignored: true
                    Label {
                        anchors.centerIn: parent
                        visible: modelData.held
                        text: "\u2713"
                        Accessible.ignored: true // the row's description says "held"
                        color: Theme.surface
                        font.pixelSize: 13
                        font.bold: true
                    }
                }
                Label {
                    objectName: "enroll.category." + index
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: modelData.name + " — " + (modelData.held ? qsTr("held") : qsTr("not yet")) +
                          "  <font color=\"" + Theme.secondaryText + "\">" + qsTr("(e.g. %1)").arg(modelData.examples) + "</font>"
                    textFormat: Text.StyledText
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    Accessible.role: Accessible.StaticText
                    Accessible.name: modelData.name
                    Accessible.description: (modelData.held ? qsTr("held") : qsTr("not held yet")) + ", " + modelData.examples
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: 2
            spacing: 10
            Label {
                text: qsTr("Sign-in reached")
                color: Theme.secondaryText
                font.pixelSize: Theme.bodySize
                Accessible.ignored: true
            }
            Rectangle {
                implicitWidth: aalLabel.implicitWidth + 16
                implicitHeight: aalLabel.implicitHeight + 6
                radius: 4
                color: root.source && root.source.mfaRequired && root.source.assuranceLevel === "AAL1" ? Theme.errorBackground : Theme.noticeBackground
                border.color: root.source && root.source.mfaRequired && root.source.assuranceLevel === "AAL1" ? Theme.error : Theme.accent
                Label {
                    id: aalLabel
                    objectName: "enroll.assurance"
                    anchors.centerIn: parent
                    text: root.source ? root.source.assuranceTitle : ""
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.DemiBold
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Sign-in reached")
                    Accessible.description: text + ". " + (root.source ? root.source.assuranceText + " (" + root.source.assuranceLevel + ")" : "")
                }
            }
            // The assurance level's technical name, as a detail.
            Label {
                objectName: "enroll.aal"
                text: root.source ? root.source.assuranceLevel : ""
                color: Theme.secondaryText
                font.pixelSize: Theme.smallSize
                Accessible.ignored: true
            }
            Label {
                Layout.fillWidth: true
                text: root.source ? root.source.assuranceText : ""
                wrapMode: Text.WordWrap
                color: Theme.secondaryText
                font.pixelSize: Theme.smallSize
                Accessible.ignored: true
            }
        }
    }
}
