import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// F1: Help — the keyboard shortcuts of the window, and About (version, licence, links).
Dialog {
    id: dialog
    objectName: "helpDialog"

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(520, parent ? parent.width - 32 : 520)
    height: Math.min(implicitHeight, parent ? parent.height - 32 : implicitHeight)
    modal: true
    focus: true
    title: qsTr("Help")
    padding: 20
    onOpened: closeButton.forceActiveFocus(Qt.TabFocusReason)
    background: Rectangle { color: Theme.surface; radius: 8; border.color: Theme.border }
    header: Label {
        text: dialog.title
        padding: 20
        bottomPadding: 0
        color: Theme.text
        font.pixelSize: 18
        font.weight: Font.DemiBold
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }

    readonly property var shortcuts: [
        [qsTr("Ctrl+1"), qsTr("Home")],
        [qsTr("Ctrl+2"), qsTr("My security")],
        [qsTr("Ctrl+3"), qsTr("Sessions")],
        [qsTr("Ctrl+4"), qsTr("People (when your role allows)")],
        [qsTr("Ctrl+5"), qsTr("Roles (when your role allows)")],
        [qsTr("Ctrl+6"), qsTr("Audit log")],
        [qsTr("Esc"), qsTr("Close a dialog, otherwise back to Home")],
        [qsTr("Ctrl+L"), qsTr("Lock the window; the session stays signed in")],
        [qsTr("F1"), qsTr("This list")],
        [qsTr("Ctrl+Q"), qsTr("Quit (signs out)")],
        [qsTr("Tab, Shift+Tab"), qsTr("Next and previous control")],
        [qsTr("Space, Enter"), qsTr("Press the focused button")]
    ]

    contentItem: Flickable {
        implicitHeight: column.implicitHeight
        contentHeight: column.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { Accessible.name: qsTr("Scroll the list") }
        ColumnLayout {
            id: column
            width: parent.width
            spacing: 8

            SectionHeader { text: qsTr("Keyboard shortcuts") }
            GridLayout {
                id: grid
                Layout.fillWidth: true
                columns: 2
                columnSpacing: 16
                rowSpacing: 8
                Repeater {
                    model: dialog.shortcuts.length * 2
                    Label {
                        readonly property var row: dialog.shortcuts[Math.floor(index / 2)]
                        readonly property bool isKey: index % 2 === 0
                        Layout.fillWidth: !isKey
                        text: isKey ? row[0] : row[1]
                        wrapMode: Text.WordWrap
                        color: isKey ? Theme.accent : Theme.text
                        font.family: isKey ? "monospace" : font.family
                        font.pixelSize: Theme.bodySize
                        Accessible.role: Accessible.StaticText
                        Accessible.name: isKey ? row[0] : row[1]
                    }
                }
            }

            // About: what this build is. No licence has been chosen yet: say so, invent none.
            SectionHeader { text: qsTr("About Gatehouse") }
            Label {
                objectName: "about.summary"
                Layout.fillWidth: true
                text: qsTr("Gatehouse keeps local accounts in an encrypted vault, checks who signs in, "
                           + "and records every step in a tamper-evident audit log.")
                wrapMode: Text.WordWrap
                color: Theme.text
                font.pixelSize: Theme.bodySize
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
            InfoRow {
                label: qsTr("Version")
                value: AppController.version
                valueObjectName: "about.version"
                detail: qsTr("Built with Qt %1").arg(AppController.qtVersion)
            }
            InfoRow {
                label: qsTr("Licence")
                value: qsTr("Not yet chosen (see README)")
                valueObjectName: "about.licence"
            }
            InfoRow {
                label: qsTr("Links")
                value: "<a href=\"man:gatehousectl(1)\">" + qsTr("The gatehousectl manual") + "</a>"
                valueObjectName: "about.links"
                detail: qsTr("The README in the source tree explains every screen and command.")
            }
        }
    }
    footer: DialogButtonBox {
        background: null
        padding: 12
        Button {
            id: closeButton
            objectName: "help.close"
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            Accessible.name: text
            Accessible.onPressAction: if (enabled) clicked()
            Keys.onReturnPressed: clicked()
            Keys.onEnterPressed: clicked()
        }
    }
}
