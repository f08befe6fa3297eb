import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// The locked window (Ctrl+L, idle, the desktop's screen lock, or "Keep signed in, locked" on
// close): the session stays, nothing of it shows but the account's name. Unlocking is a step-up
// the core checks: the password and, when the session was opened with one, a second factor.
ScreenPage {
    id: page
    objectName: "lockScreen"
    wide: false // a centred card, whichever section was open

    function focusFirst() { password.forceFocus() }
    function submit() {
        if (password.empty || AppController.busy)
            return
        if (AppController.lockNeedsCode && code.empty) {
            code.forceFocus()
            return
        }
        AppController.unlockWith(password.input, code.input)
    }

    title: qsTr("Gatehouse is locked")
    subtitle: qsTr("%1 is still signed in. Enter your password%2 to continue.")
              .arg(AppController.home.username)
              .arg(AppController.lockNeedsCode ? qsTr(" and a code from your authenticator app") : "")

    Connections {
        target: AppController
        function onUnlockFailed(passwordWrong) {
            code.clear()
            if (passwordWrong) {
                password.clear()
                password.forceFocus()
            } else {
                code.forceFocus()
            }
        }
    }

    Label {
        objectName: "lock.account"
        text: AppController.home.username
        color: Theme.text
        font.pixelSize: 18
        font.weight: Font.DemiBold
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("Signed in as")
        Accessible.description: text
    }
    PasswordField {
        id: password
        label: qsTr("Password")
        description: qsTr("The password of the account you are signed in with.")
        fieldObjectName: "lock.password"
        toggleObjectName: "lock.showPassword"
        onAccepted: page.submit()
    }
    CodeField {
        id: code
        fieldObjectName: "lock.code"
        toggleObjectName: "lock.showCode"
        visible: AppController.lockNeedsCode
        numeric: false
        label: qsTr("Second factor code")
        hint: qsTr("The 6-digit code your authenticator app shows now, or one of your recovery codes.")
        placeholderText: qsTr("Authenticator or recovery code")
        onAccepted: page.submit()
    }
    MessageBox {
        objectName: "lock.error"
        text: AppController.lockError
    }
    PrimaryButton {
        objectName: "lock.unlock"
        text: qsTr("Unlock")
        busy: AppController.busy
        enabled: password.length > 0 && !AppController.busy
        onClicked: page.submit()
    }
    LinkButton {
        objectName: "lock.signOut"
        Layout.alignment: Qt.AlignHCenter
        text: qsTr("Sign out instead")
        onClicked: AppController.signOut()
    }
}
