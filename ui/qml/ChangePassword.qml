import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

ScreenPage {
    id: page
    objectName: "changePasswordScreen"

    readonly property ChangePasswordModel model: AppController.changePassword

    function focusFirst() { current.forceFocus() }
    function submit() {
        if (model.canSubmit && current.length > 0)
            model.submitCurrentPassword(current.input)
    }

    title: model.voluntary ? qsTr("Change your password") : qsTr("Choose a new password")
    subtitle: model.reason

    InfoRow {
        label: qsTr("Account")
        value: page.model.username
        valueObjectName: "changePassword.username"
    }
    PasswordField {
        id: current
        label: page.model.voluntary ? qsTr("Current password") : qsTr("Temporary or current password")
        fieldObjectName: "changePassword.current"
        onAccepted: next.forceFocus()
    }
    PasswordField {
        id: next
        label: qsTr("New password")
        fieldObjectName: "changePassword.next"
        onTextEdited: page.model.next.setPassword(next.input)
        onAccepted: repeat.forceFocus()
    }
    PolicyFeedback {
        entry: page.model.next
        objectNamePrefix: "changePassword.policy"
    }
    PasswordField {
        id: repeat
        label: qsTr("Repeat the new password")
        fieldObjectName: "changePassword.repeat"
        description: qsTr("Type the new password again.")
        onTextEdited: page.model.next.setRepeat(repeat.input)
        onAccepted: page.submit()
    }
    MatchFeedback { entry: page.model.next }

    MessageBox {
        objectName: "changePassword.error"
        text: page.model.error
    }
    PrimaryButton {
        objectName: "changePassword.submit"
        text: AppController.busy ? qsTr("Changing…") : qsTr("Change password")
        busy: AppController.busy
        enabled: page.model.canSubmit && current.length > 0
        onClicked: page.submit()
        Accessible.name: qsTr("Change password")
    }
    Button {
        objectName: "changePassword.signOut"
        Layout.alignment: Qt.AlignHCenter
        flat: true
        text: page.model.voluntary ? qsTr("Cancel") : qsTr("Sign out instead")
        onClicked: page.model.cancel()
        Accessible.name: page.model.voluntary ? qsTr("Cancel, keep the current password") : text
        Accessible.onPressAction: if (enabled) clicked()
    }

    // Escape: by choice, back to My security; forced, it does nothing (signing out is a button).
    Keys.onEscapePressed: if (page.model.voluntary) page.model.cancel()

    Connections {
        target: page.model
        function onFailed() {
            current.clear()
            current.forceFocus()
        }
    }
}
