import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// F1: the keyboard shortcuts of the window.
Dialog {
    id: dialog
    objectName: "helpDialog"

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(480, parent ? parent.width - 32 : 480)
    height: Math.min(implicitHeight, parent ? parent.height - 32 : implicitHeight)
    modal: true
    focus: true
    title: qsTr("Keyboard shortcuts")
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
        implicitHeight: grid.implicitHeight
        contentHeight: grid.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { Accessible.name: qsTr("Scroll the list") }
        GridLayout {
            id: grid
            width: parent.width
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
