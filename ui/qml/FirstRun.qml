import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

ScreenPage {
    id: page
    objectName: "firstRunScreen"

    readonly property FirstRunModel model: AppController.firstRun
    readonly property bool askPassphrase: model.keyMode === FirstRunModel.Passphrase && !model.vaultReady

    function focusFirst() {
        if (askPassphrase && passphraseBlock.item && passphraseBlock.item.empty && username.text.length === 0)
            passphraseBlock.item.forceFocus()
        else
            username.forceFocus()
    }
    function submit() {
        if (model.canCreate)
            model.create()
    }

    title: model.vaultReady ? qsTr("Create the first administrator") : qsTr("Set up Gatehouse")
    subtitle: model.vaultReady
              ? qsTr("The vault is ready but has no accounts yet. Gatehouse has no default accounts.")
              : qsTr("Step 1 of 2: create the encrypted vault and its first administrator. Gatehouse has no default accounts. Step 2 adds the administrator's second factor.")

    SectionHeader { text: qsTr("Vault") }
    InfoRow {
        label: qsTr("Location")
        value: AppController.vaultPath
        valueObjectName: "firstRun.vaultPath"
        monospace: true
    }
    InfoRow {
        label: qsTr("Key kept in")
        value: page.model.keyLocation
        valueObjectName: "firstRun.keyLocation"
        busy: page.model.keyMode === FirstRunModel.Checking
    }
    // Only when no keychain answered: the passphrase fields are built then, not for every first
    // run (issue 15 item 8).
    Loader {
        id: passphraseBlock
        Layout.fillWidth: true
        active: page.askPassphrase
        visible: active
        onLoaded: page.focusFirst()
        sourceComponent: ColumnLayout {
            spacing: 14 // as the card's column
            function forceFocus() { passphrase.forceFocus() }
            readonly property bool empty: passphrase.empty

            Label {
                Layout.fillWidth: true
                text: qsTr("No system keychain answered, so the vault key will be derived from a passphrase "
                           + "(Argon2id). Only its salt is stored beside the vault. Without the passphrase the "
                           + "vault cannot be opened, so keep it safe.")
                wrapMode: Text.WordWrap
                color: Theme.secondaryText
                font.pixelSize: Theme.smallSize + 1
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("About the vault passphrase")
                Accessible.description: text
            }
            PasswordField {
                id: passphrase
                label: qsTr("Vault passphrase")
                fieldObjectName: "firstRun.passphrase"
                description: qsTr("It protects the vault key. Keep it safe.")
                onTextEdited: page.model.passphrase.setPassword(passphrase.input)
                onAccepted: passphraseRepeat.forceFocus()
            }
            PolicyFeedback {
                visible: !entry.empty
                entry: page.model.passphrase
                objectNamePrefix: "firstRun.passphrasePolicy"
            }
            PasswordField {
                id: passphraseRepeat
                label: qsTr("Repeat the vault passphrase")
                fieldObjectName: "firstRun.passphraseRepeat"
                description: qsTr("Type the vault passphrase again.")
                onTextEdited: page.model.passphrase.setRepeat(passphraseRepeat.input)
                onAccepted: username.forceFocus()
            }
            MatchFeedback {
                visible: !entry.repeatEmpty
                entry: page.model.passphrase
            }
        }
    }

    SectionHeader { text: qsTr("First administrator") }
    Field {
        id: username
        label: qsTr("Username")
        fieldObjectName: "firstRun.username"
        hint: qsTr("Letters, digits and . _ - (kept in lower case).")
        input.inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
        onTextEdited: page.model.username = text
        onAccepted: password.forceFocus()
    }
    PasswordField {
        id: password
        label: qsTr("Password")
        fieldObjectName: "firstRun.password"
        toggleObjectName: "firstRun.showPassword"
        onTextEdited: page.model.password.setPassword(password.input)
        onAccepted: repeat.forceFocus()
    }
    PolicyFeedback {
        entry: page.model.password
        objectNamePrefix: "firstRun.policy"
    }
    PasswordField {
        id: repeat
        label: qsTr("Repeat the password")
        fieldObjectName: "firstRun.repeat"
        description: qsTr("Type the password again.")
        onTextEdited: page.model.password.setRepeat(repeat.input)
        onAccepted: page.submit()
    }
    MatchFeedback {
        objectName: "firstRun.match"
        entry: page.model.password
    }

    MessageBox {
        objectName: "firstRun.error"
        text: page.model.error
    }
    PrimaryButton {
        id: createButton
        objectName: "firstRun.create"
        text: AppController.busy && page.model.keyMode !== FirstRunModel.Checking
              ? qsTr("Creating…")
              : page.model.vaultReady ? qsTr("Create administrator") : qsTr("Create vault and administrator")
        busy: AppController.busy && page.model.keyMode !== FirstRunModel.Checking
        enabled: page.model.canCreate
        onClicked: page.submit()
        // Moved by the line that appears with it ("Both entries match."): once the layout has
        // settled (Qt.callLater), so the page is measured with that line in it. Scrolled at once,
        // on a loaded machine the layout sometimes grew after and left Create below the fold.
        onYChanged: if (page.model.canCreate) Qt.callLater(page.revealCreate)
    }
    function revealCreate() {
        if (page.model.canCreate)
            page.ensureVisible(createButton)
    }

    Connections {
        target: page.model
        function onKeyModeChanged() { page.focusFirst() }
        // The form is complete: Create comes into view (at the default 1100×680 it is below the
        // fold while the password is typed).
        function onCanCreateChanged() {
            if (page.model.canCreate)
                Qt.callLater(page.revealCreate)
        }
    }
}
