import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Closing the window while signed in: sign out, or keep the session and lock the window
// ("Remember my choice" keeps the answer in QSettings, window/closeAction; nothing secret).
Dialog {
    id: dialog
    objectName: "closeDialog"

    signal keepLocked()
    signal signOut()

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(460, parent ? parent.width - 32 : 460)
    modal: true
    focus: true
    padding: 20
    onOpened: {
        remember.checked = false
        keep.forceActiveFocus(Qt.TabFocusReason) // never the destructive choice first
    }
    background: Rectangle { color: Theme.surface; radius: 8; border.color: Theme.border }

    // Acted on once the dialog has closed (and handed the focus back), so the lock screen's
    // password field keeps the focus.
    property string chosen: ""
    function choose(choice) {
        if (remember.checked)
            AppController.closeChoice = choice
        dialog.chosen = choice
        dialog.close()
    }
    onClosed: {
        const choice = dialog.chosen
        dialog.chosen = ""
        if (choice === "lock")
            dialog.keepLocked()
        else if (choice === "signOut")
            dialog.signOut()
    }

    contentItem: ColumnLayout {
        spacing: 12
        Label {
            text: qsTr("Close Gatehouse?")
            color: Theme.text
            font.pixelSize: 18
            font.weight: Font.DemiBold
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: qsTr("%1 is signed in. Sign out now, or keep the session and lock the window until you come back.")
                  .arg(AppController.home.username)
            color: Theme.text
            font.pixelSize: Theme.bodySize
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        CheckBox {
            id: remember
            objectName: "close.remember"
            text: qsTr("Remember my choice")
            font.pixelSize: Theme.bodySize
            Accessible.name: text
            Accessible.onPressAction: toggle()
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Button {
                id: keep
                objectName: "close.lock"
                Layout.fillWidth: true
                text: qsTr("Keep signed in, locked")
                onClicked: dialog.choose("lock")
                Accessible.name: text
                Accessible.onPressAction: if (enabled) clicked()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
            Button {
                objectName: "close.signOut"
                Layout.fillWidth: true
                text: qsTr("Sign out")
                onClicked: dialog.choose("signOut")
                Accessible.name: text
                Accessible.onPressAction: if (enabled) clicked()
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
            }
        }
        LinkButton {
            objectName: "close.cancel"
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Cancel")
            onClicked: dialog.close()
        }
    }
}
