import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Login, second step: a code from the authenticator app, or a saved recovery code.
ScreenPage {
    id: page
    objectName: "secondFactorScreen"

    readonly property SecondFactorModel model: AppController.secondFactor
    readonly property bool recovery: model.mode === "recovery"
    readonly property bool key: model.mode === "key"
    readonly property bool codeComplete: recovery
                                         ? recoveryField.significantLength > 0
                                         : totpField.significantLength === 6 || totpField.significantLength === 8
    readonly property bool canSubmit: model.canVerify && codeComplete

    function focusFirst() {
        if (key)
            keyPanel.focusFirst()
        else if (recovery)
            recoveryField.forceFocus()
        else
            totpField.forceFocus()
    }
    function submit() {
        if (canSubmit)
            model.submitCode(recovery ? recoveryField.input : totpField.input)
    }

    title: model.passwordless ? qsTr("Sign in with a security key") : qsTr("Second step")
    subtitle: model.passwordless
              ? qsTr("Signing in as %1 without the password. Your key asks for its PIN or your fingerprint, then for a touch.")
                .arg(model.username)
              : qsTr("The password for %1 is right. Now confirm it is you with your second factor.")
                .arg(model.username)

    SecurityKeyPanel {
        id: keyPanel
        visible: page.key
    }
    CodeField {
        id: totpField
        visible: !page.recovery && !page.key
        label: qsTr("Code from your authenticator app")
        fieldObjectName: "secondFactor.totp"
        hint: qsTr("Open the app and type the 6- or 8-digit code it shows for Gatehouse. Press Enter to verify.")
        onAccepted: page.submit()
    }
    CodeField {
        id: recoveryField
        visible: page.recovery && !page.key
        numeric: false
        label: qsTr("Recovery code")
        fieldObjectName: "secondFactor.recovery"
        placeholderText: "XXXX-XXXX-XXXX-XXXX"
        hint: qsTr("One of the codes you saved when you set up recovery codes. Each code works once.")
        onAccepted: page.submit()
    }
    LinkButton {
        objectName: "secondFactor.toggle"
        Layout.topMargin: -8
        leftPadding: 0
        visible: !page.key && page.model.offersTotp && page.model.offersRecovery
        text: page.recovery ? qsTr("Use a code from your authenticator app instead")
                            : qsTr("Lost your phone? Use a recovery code")
        onClicked: {
            page.model.mode = page.recovery ? "totp" : "recovery"
            page.focusFirst()
        }
    }

    LinkButton {
        objectName: "secondFactor.useCode"
        Layout.topMargin: -8
        leftPadding: 0
        visible: page.key && (page.model.offersTotp || page.model.offersRecovery) && !AppController.securityKey.waiting
        text: page.model.offersTotp ? qsTr("Use a code from your authenticator app instead")
                                    : qsTr("No key with you? Use a recovery code")
        onClicked: {
            page.model.mode = page.model.offersTotp ? "totp" : "recovery"
            page.focusFirst()
        }
    }
    LinkButton {
        objectName: "secondFactor.useKey"
        Layout.topMargin: -8
        leftPadding: 0
        visible: !page.key && page.model.offersKey
        text: qsTr("Use your security key instead")
        onClicked: {
            page.model.mode = "key"
            page.focusFirst()
        }
    }

    MessageBox {
        objectName: "secondFactor.error"
        text: page.model.error
    }
    Label {
        objectName: "secondFactor.countdown"
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

    PrimaryButton {
        objectName: "secondFactor.verify"
        visible: !page.key
        text: AppController.busy ? qsTr("Verifying…") : qsTr("Verify")
        busy: AppController.busy
        enabled: page.canSubmit
        onClicked: page.submit()
        Accessible.name: qsTr("Verify")
    }
    LinkButton {
        objectName: "secondFactor.cancel"
        Layout.alignment: Qt.AlignHCenter
        text: qsTr("Cancel and sign in again")
        enabled: !AppController.busy || AppController.securityKey.waiting
        onClicked: {
            if (AppController.securityKey.waiting)
                AppController.securityKey.cancel()
            page.model.cancel()
        }
    }

    Connections {
        target: page.model
        function onFailed() {
            totpField.clear()
            recoveryField.clear()
            page.focusFirst()
        }
    }
}
