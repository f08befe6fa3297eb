import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

ScreenPage {
    id: page
    objectName: "unlockScreen"

    readonly property UnlockModel model: AppController.unlock

    function focusFirst() { passphrase.forceFocus() }
    function submit() {
        if (unlockButton.enabled)
            model.submitPassphrase(passphrase.input)
    }

    title: qsTr("Unlock the vault")
    subtitle: qsTr("This vault's key is derived from its passphrase, because no system keychain was available when it was created.")

    MessageBox {
        objectName: "unlock.notice"
        kind: "notice"
        text: page.model.notice
    }
    InfoRow {
        label: qsTr("Vault")
        value: AppController.vaultPath
        monospace: true
    }
    PasswordField {
        id: passphrase
        label: qsTr("Vault passphrase")
        fieldObjectName: "unlock.passphrase"
        onAccepted: page.submit()
    }
    MessageBox {
        objectName: "unlock.error"
        text: page.model.error
        errorLayer: 1 // opening the vault: storage (L1)
    }
    PrimaryButton {
        id: unlockButton
        objectName: "unlock.submit"
        text: AppController.busy ? qsTr("Deriving the key…") : qsTr("Unlock")
        busy: AppController.busy
        enabled: !AppController.busy && passphrase.length > 0
        onClicked: page.submit()
        Accessible.name: qsTr("Unlock")
    }
    Connections {
        target: page.model
        function onFailed() {
            passphrase.clear()
            passphrase.forceFocus()
        }
    }
}
