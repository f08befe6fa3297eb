import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// "Are you sure?" for a destructive action: says exactly what will happen, optionally asks for a
// reason (removing another person's factor), and is cancelled with Escape or Cancel. Focus starts
// on the reason field or on Cancel, never on the destructive button. A guard (the action is not
// allowed, e.g. the last administrator) shows instead of the question, with only Close.
Popup {
    id: dialog
    objectName: "confirmDialog"

    property string heading
    property string text
    property string confirmText: qsTr("Confirm")
    property string guard // non-empty: refuse with this message instead of asking
    property string reasonLabel // non-empty: a reason is required
    property var acceptAction: null // function(reason)

    // Opens the dialog; `accept(reason)` runs when the person confirms.
    function ask(headingText, question, confirmLabel, accept, guardText, reasonText) {
        heading = headingText
        text = question
        confirmText = confirmLabel
        acceptAction = accept
        guard = guardText || ""
        reasonLabel = reasonText || ""
        reason.text = ""
        open()
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(480, parent ? parent.width - 32 : 480)
    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape
    padding: 20
    background: Rectangle { color: Theme.surface; radius: 8; border.color: Theme.border }
    onOpened: {
        if (dialog.guard.length === 0 && dialog.reasonLabel.length > 0)
            reason.forceFocus()
        else
            cancel.forceActiveFocus(Qt.TabFocusReason)
    }
    onClosed: acceptAction = null

    function accept() {
        if (!confirm.enabled)
            return
        const run = acceptAction
        const why = reason.text.trim()
        close()
        if (run)
            run(why)
    }

    contentItem: ColumnLayout {
        spacing: 12
        Label {
            Layout.fillWidth: true
            text: dialog.guard.length > 0 ? qsTr("Not possible") : dialog.heading
            wrapMode: Text.WordWrap
            color: Theme.text
            font.pixelSize: 18
            font.weight: Font.DemiBold
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            objectName: "confirm.text"
            Layout.fillWidth: true
            visible: dialog.guard.length === 0
            wrapMode: Text.WordWrap
            text: dialog.text
            color: Theme.text
            font.pixelSize: Theme.bodySize
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("What will happen")
            Accessible.description: text
        }
        MessageBox {
            objectName: "confirm.guard"
            kind: "notice"
            text: dialog.guard
        }
        Field {
            id: reason
            visible: dialog.guard.length === 0 && dialog.reasonLabel.length > 0
            label: dialog.reasonLabel
            fieldObjectName: "confirm.reason"
            hint: qsTr("The owner sees it at their next sign-in.")
            input.maximumLength: 200
            onAccepted: dialog.accept()
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Item { Layout.fillWidth: true }
            Button {
                id: cancel
                objectName: "confirm.cancel"
                text: dialog.guard.length > 0 ? qsTr("Close") : qsTr("Cancel")
                implicitHeight: 40
                onClicked: dialog.close()
                Accessible.name: text
                Accessible.onPressAction: if (enabled) clicked()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
            Button {
                id: confirm
                objectName: "confirm.accept"
                visible: dialog.guard.length === 0
                text: dialog.confirmText
                implicitHeight: 40
                enabled: !AppController.busy && (dialog.reasonLabel.length === 0 || reason.text.trim().length > 0)
                palette.buttonText: Theme.error
                onClicked: dialog.accept()
                Accessible.name: text
                Accessible.onPressAction: if (enabled) clicked()
                Keys.onReturnPressed: if (enabled) clicked()
                Keys.onEnterPressed: if (enabled) clicked()
            }
        }
    }
}
