import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

ScreenPage {
    id: page
    objectName: "loginScreen"

    readonly property LoginModel model: AppController.login
    readonly property bool canSubmit: model.canSignIn && username.text.trim().length > 0 && password.length > 0

    function focusFirst() {
        if (username.text.length > 0)
            password.forceFocus()
        else
            username.forceFocus()
    }
    function submit() {
        if (canSubmit)
            model.submitPassword(password.input)
    }

    title: qsTr("Sign in")
    subtitle: AppController.vaultOpening ? (AppController.keyringPrompt ? qsTr("Waiting for the keyring's password prompt…")
                                                                     : qsTr("Opening the vault…"))
                                      : qsTr("Use your Gatehouse account.")

    MessageBox {
        objectName: "login.notice"
        kind: "notice"
        text: page.model.notice
    }
    MessageBox {
        objectName: "login.vaultError"
        text: AppController.vaultError
        errorLayer: AppController.vaultErrorLayer
    }
    Button {
        objectName: "login.retryOpen"
        visible: AppController.vaultError.length > 0
        text: qsTr("Try again")
        onClicked: AppController.retryOpen()
        Accessible.name: qsTr("Try opening the vault again")
        Accessible.onPressAction: if (enabled) clicked()
    }

    Field {
        id: username
        label: qsTr("Username")
        fieldObjectName: "login.username"
        text: page.model.username
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        onTextEdited: page.model.username = text
        onAccepted: password.forceFocus()
    }
    PasswordField {
        id: password
        label: qsTr("Password")
        fieldObjectName: "login.password"
        toggleObjectName: "login.showPassword"
        onAccepted: page.submit()
    }

    MessageBox {
        objectName: "login.error"
        text: page.model.error
    }
    Label {
        objectName: "login.countdown"
        Layout.fillWidth: true
        visible: page.model.retrySeconds > 0
        text: qsTr("Sign-in is paused. You can try again in %1.")
              .arg(page.model.retrySeconds >= 60
                   ? qsTr("%1 min %2 s").arg(Math.floor(page.model.retrySeconds / 60)).arg(page.model.retrySeconds % 60)
                   : qsTr("%1 s").arg(page.model.retrySeconds))
        color: Theme.text
        font.pixelSize: Theme.bodySize
        font.weight: Font.Medium
        wrapMode: Text.WordWrap
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("Countdown")
        Accessible.description: text
    }

    Label {
        objectName: "login.keyHint"
        Layout.fillWidth: true
        visible: page.model.retrySeconds > 0
        text: qsTr("A security key that asks for its PIN or your fingerprint still signs you in, without the password.")
        color: Theme.secondaryText
        font.pixelSize: Theme.smallSize
        wrapMode: Text.WordWrap
        Accessible.role: Accessible.StaticText
        Accessible.name: text
    }

    PrimaryButton {
        objectName: "login.signIn"
        text: AppController.busy ? qsTr("Checking…") : qsTr("Sign in")
        busy: AppController.busy
        enabled: page.canSubmit
        onClicked: page.submit()
        Accessible.name: qsTr("Sign in")
    }
    // Passwordless (ATK-04): the key verifies its user with its PIN or a fingerprint; the
    // password's countdown does not hold it back.
    Button {
        objectName: "login.securityKey"
        Layout.fillWidth: true
        text: qsTr("Sign in with a security key")
        enabled: page.model.canUseKey && username.text.trim().length > 0
        onClicked: page.model.signInWithKey()
        Accessible.name: text
        Accessible.description: qsTr("Sign in without the password, with a security key that asks for its PIN or your fingerprint")
        Accessible.onPressAction: if (enabled) clicked()
    }

    Label {
        Layout.fillWidth: true
        Layout.topMargin: 4
        text: qsTr("Vault: %1").arg(AppController.vaultPath)
        color: Theme.secondaryText
        font.pixelSize: Theme.smallSize
        elide: Text.ElideMiddle
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("Vault location")
        Accessible.description: AppController.vaultPath
    }

    Connections {
        target: page.model
        function onFailed() {
            password.clear()
            password.forceFocus()
        }
    }
}
