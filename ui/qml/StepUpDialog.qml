import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// "Confirm it's you" (SES-04): shown over any screen when a sensitive action needs a recent
// sign-in; the action carries on after the password (and a code, when needed) is confirmed. It
// names the action it confirms; a wrong code keeps the password; Enter submits from either field.
Popup {
    id: dialog
    objectName: "stepUpDialog"

    readonly property StepUpModel model: AppController.stepUp

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(440, parent ? parent.width - 32 : 440)
    modal: true
    focus: true
    visible: model.active
    closePolicy: Popup.CloseOnEscape
    onClosed: if (model.active) model.cancel()
    onOpened: password.forceFocus()
    padding: 20
    background: Rectangle { color: Theme.surface; radius: 8; border.color: Theme.border }

    function submit() {
        if (password.empty || AppController.busy)
            return
        if (dialog.model.needsCode && code.empty) {
            code.forceFocus()
            return
        }
        dialog.model.confirm(password.input, code.input)
    }
    onVisibleChanged: if (!visible) { password.clear(); code.clear() }

    Connections {
        target: dialog.model
        function onFailed(passwordWrong) {
            code.clear()
            if (passwordWrong) {
                password.clear()
                password.forceFocus()
            } else {
                code.forceFocus()
            }
        }
    }

    contentItem: ColumnLayout {
        spacing: 10
        Label {
            text: qsTr("Confirm it's you")
            color: Theme.text
            font.pixelSize: 18
            font.weight: Font.DemiBold
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            objectName: "stepUp.action"
            Layout.fillWidth: true
            visible: dialog.model.action.length > 0
            wrapMode: Text.WordWrap
            text: qsTr("To confirm: %1").arg(dialog.model.action)
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.weight: Font.DemiBold
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("Action to confirm")
            Accessible.description: dialog.model.action
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: qsTr("Your last sign-in is more than 5 minutes old. Enter your password%1 to continue.")
                  .arg(dialog.model.needsCode ? qsTr(" and a code from your authenticator app") : "")
            color: Theme.secondaryText
            font.pixelSize: Theme.bodySize
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("Why")
            Accessible.description: text
        }
        PasswordField {
            id: password
            label: qsTr("Password")
            description: qsTr("The password of the account you are signed in with.")
            fieldObjectName: "stepUp.password"
            toggleObjectName: "stepUp.showPassword"
            onAccepted: dialog.submit() // moves on to the code when one is still needed
        }
        CodeField {
            id: code
            fieldObjectName: "stepUp.code"
            toggleObjectName: "stepUp.showCode"
            visible: dialog.model.needsCode
            numeric: false
            label: qsTr("Second factor code")
            hint: qsTr("The 6-digit code your authenticator app shows now, or one of your recovery codes.")
            placeholderText: qsTr("Authenticator or recovery code")
            onAccepted: dialog.submit()
        }
        MessageBox {
            objectName: "stepUp.error"
            text: dialog.model.error
        }
        RowLayout {
            Layout.fillWidth: true
            PrimaryButton {
                objectName: "stepUp.confirm"
                Layout.fillWidth: true
                text: qsTr("Confirm")
                busy: AppController.busy
                enabled: password.length > 0 && !AppController.busy
                onClicked: dialog.submit()
            }
            LinkButton {
                objectName: "stepUp.cancel"
                text: qsTr("Cancel")
                onClicked: dialog.model.cancel()
            }
        }
    }
}
