import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Gatehouse.Ui

// The enrollment wizard: choose a factor → authenticator app (QR code, manual key, confirm a
// code) or recovery codes (shown once, copy/save/print, type one back) → done. The panel at the
// bottom shows the categories held and the assurance level reached.
ScreenPage {
    id: page
    objectName: "enrollScreen"
    cardWidth: 680

    readonly property EnrollModel model: AppController.enroll
    readonly property int step: model.step

    function focusFirst() {
        switch (step) {
        case EnrollModel.Totp: totpCode.forceFocus(); break
        case EnrollModel.Codes: typeBack.forceFocus(); break
        case EnrollModel.Done: finish.forceActiveFocus(Qt.TabFocusReason); break
        case EnrollModel.SecurityKey: keyPanel.focusFirst(); break
        default: chooseTotp.forceActiveFocus(Qt.TabFocusReason); break
        }
    }
    function submitTotp() {
        if (confirmTotp.enabled)
            model.confirmTotp(totpCode.input)
    }
    function submitCodes() {
        if (confirmCodes.enabled)
            model.confirmCodes(typeBack.input)
    }
    onStepChanged: {
        totpCode.clear()
        typeBack.clear()
        Qt.callLater(focusFirst)
    }

    title: {
        switch (step) {
        case EnrollModel.Totp: return qsTr("Set up your authenticator app")
        case EnrollModel.Codes: return qsTr("Save your recovery codes")
        case EnrollModel.SecurityKey: return qsTr("Add a security key")
        case EnrollModel.Done: return model.doneTitle
        default: return model.setup ? qsTr("Set up Gatehouse: your second factor") : qsTr("Add a second factor")
        }
    }
    subtitle: {
        switch (step) {
        case EnrollModel.Totp:
            return qsTr("Scan the QR code with an app such as Aegis, FreeOTP or Google Authenticator, then type the code it shows.")
        case EnrollModel.Codes:
            return page.model.replacingCodes
                   ? qsTr("A new set, shown only now. Your current codes keep working until you type one of these back; Cancel keeps them.")
                   : qsTr("These codes are shown only now. Each one signs you in once if you cannot use your authenticator app.")
        case EnrollModel.SecurityKey:
            return qsTr("A FIDO2 security key (such as a YubiKey or Nitrokey) is the strongest second factor: it cannot be phished, and with your password it gives two-step sign-in with a hardware key (AAL3).")
        case EnrollModel.Done:
            return ""
        default:
            return model.setup
                   ? qsTr("Step 2 of 2. Set-up is complete when the first administrator holds a second factor of another kind than the password, so a leaked password alone cannot take over Gatehouse.")
                   : qsTr("A second factor of another kind than your password protects your account when the password leaks.")
        }
    }

    MessageBox {
        objectName: "enroll.restriction"
        kind: "notice"
        text: page.model.restricted && !page.model.setup && page.step === EnrollModel.Choose ? page.model.restrictionText : ""
    }
    MessageBox {
        objectName: "enroll.notice"
        kind: "notice"
        text: page.model.notice
    }

    // --- Choose ---
    component OptionButton: Button {
        id: option
        property string heading
        property string details
        property string badge
        Layout.fillWidth: true
        implicitHeight: optionColumn.implicitHeight + topPadding + bottomPadding
        leftPadding: 16
        rightPadding: 16
        topPadding: 12
        bottomPadding: 12
        Accessible.name: heading
        Accessible.description: details
        Accessible.onPressAction: if (option.enabled) option.clicked()
        Keys.onReturnPressed: clicked()
        Keys.onEnterPressed: clicked()
        background: Rectangle {
            radius: 8
            color: option.down ? Theme.noticeBackground : option.hovered ? Theme.surfaceAlt : Theme.surface
            border.color: option.visualFocus || option.hovered ? Theme.accent : Theme.border
            border.width: option.visualFocus ? 2 : 1
        }
        contentItem: ColumnLayout {
            id: optionColumn
            spacing: 4
            RowLayout {
                spacing: 8
                Label {
                    text: option.heading
                    color: Theme.text
                    font.pixelSize: Theme.bodySize + 2
                    font.weight: Font.DemiBold
                }
                Label {
                    visible: option.badge.length > 0
                    text: option.badge
                    color: Theme.accent
                    font.pixelSize: Theme.smallSize
                    font.weight: Font.DemiBold
                }
            }
            Label {
                Layout.fillWidth: true
                text: option.details
                wrapMode: Text.WordWrap
                color: Theme.secondaryText
                font.pixelSize: Theme.bodySize
            }
        }
    }
    OptionButton {
        id: chooseTotp
        objectName: "enroll.chooseTotp"
        visible: page.step === EnrollModel.Choose
        enabled: !AppController.busy
        heading: qsTr("Authenticator app")
        badge: qsTr("RECOMMENDED")
        details: qsTr("Something you have: a 6-digit code from an app on your phone, new every 30 seconds.")
        onClicked: page.model.chooseTotp()
    }
    OptionButton {
        objectName: "enroll.chooseRecovery"
        visible: page.step === EnrollModel.Choose && page.model.offerRecovery
        enabled: !AppController.busy
        heading: qsTr("Recovery codes")
        details: qsTr("Ten single-use codes to print or keep in a password manager, for when your phone is lost.")
        onClicked: page.model.chooseRecovery()
    }
    OptionButton {
        objectName: "enroll.chooseSecurityKey"
        visible: page.step === EnrollModel.Choose
        enabled: !AppController.busy
        heading: qsTr("Security key")
        badge: qsTr("STRONGEST")
        details: qsTr("Something you have: a FIDO2 key you plug in and touch. It cannot be phished; with a PIN on the key it also knows it is you.")
        onClicked: page.model.chooseSecurityKey()
    }

    // --- Security key ---
    SecurityKeyPanel {
        id: keyPanel
        visible: page.step === EnrollModel.SecurityKey
    }

    // --- Authenticator app ---
    RowLayout {
        visible: page.step === EnrollModel.Totp
        Layout.fillWidth: true
        spacing: 20
        Rectangle {
            Layout.alignment: Qt.AlignTop
            implicitWidth: 236
            implicitHeight: 236
            color: "white"
            radius: 6
            border.color: Theme.border
            QrCodeItem {
                objectName: "enroll.qr"
                anchors.fill: parent
                anchors.margins: 4
                source: page.model
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("QR code for your authenticator app")
                Accessible.description: qsTr("Scan it with the app's camera, or type the key shown next to it.")
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
            spacing: 8
            Label {
                Layout.fillWidth: true
                text: qsTr("Can't scan it? Add an account by hand with this key:")
                wrapMode: Text.WordWrap
                color: Theme.text
                font.pixelSize: Theme.bodySize
            }
            TextField {
                objectName: "enroll.manualKey"
                Layout.fillWidth: true
                readOnly: true
                selectByMouse: true
                text: page.model.manualKey
                font.family: "monospace"
                font.pixelSize: 14
                wrapMode: TextInput.WrapAtWordBoundaryOrAnywhere
                inputMethodHints: Qt.ImhSensitiveData
                Accessible.name: qsTr("Manual key, in groups of four characters")
                Accessible.description: text
            }
            InfoRow { label: qsTr("Issuer"); value: page.model.issuer; valueObjectName: "enroll.issuer" }
            InfoRow { label: qsTr("Account"); value: page.model.account; valueObjectName: "enroll.account" }
            InfoRow {
                label: qsTr("Codes")
                value: qsTr("%1 · %2 digits · every %3 s").arg(page.model.algorithm).arg(page.model.digits).arg(page.model.period)
                valueObjectName: "enroll.params"
            }
            CodeField {
                id: totpCode
                Layout.topMargin: 6
                label: qsTr("Code shown in the app")
                fieldObjectName: "enroll.totpCode"
                hint: qsTr("Finish before %1; after that, start again.").arg(page.model.expires)
                onAccepted: page.submitTotp()
            }
            PrimaryButton {
                id: confirmTotp
                objectName: "enroll.confirmTotp"
                text: AppController.busy ? qsTr("Checking…") : qsTr("Confirm and turn on")
                busy: AppController.busy
                enabled: !AppController.busy && (totpCode.significantLength === 6 || totpCode.significantLength === 8)
                onClicked: page.submitTotp()
            }
        }
    }

    // --- Recovery codes ---
    GridLayout {
        visible: page.step === EnrollModel.Codes
        Layout.fillWidth: true
        columns: 2
        columnSpacing: 16
        rowSpacing: 6
        Repeater {
            model: page.model.codes
            delegate: Rectangle {
                required property string modelData
                required property int index
                Layout.fillWidth: true
                implicitHeight: codeText.implicitHeight + 12
                radius: 4
                color: Theme.surfaceAlt
                border.color: Theme.border
                Label {
                    anchors.left: parent.left
                    anchors.leftMargin: 10
                    anchors.verticalCenter: parent.verticalCenter
                    text: (index + 1) + "."
                    color: Theme.secondaryText
                    font.family: "monospace"
                    font.pixelSize: Theme.smallSize
                    Accessible.ignored: true
                }
                TextEdit {
                    id: codeText
                    objectName: "enroll.code." + index
                    anchors.centerIn: parent
                    text: modelData
                    readOnly: true
                    selectByMouse: true
                    color: Theme.text
                    selectionColor: Theme.accent
                    selectedTextColor: Theme.accentText
                    font.family: "monospace"
                    font.pixelSize: 16
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Recovery code %1").arg(index + 1)
                    Accessible.description: modelData
                }
            }
        }
    }
    RowLayout {
        visible: page.step === EnrollModel.Codes
        Layout.fillWidth: true
        spacing: 8
        Button {
            objectName: "enroll.copy"
            text: qsTr("Copy")
            onClicked: page.model.copyCodes()
            Accessible.name: qsTr("Copy the codes to the clipboard")
            Accessible.onPressAction: if (enabled) clicked()
        }
        Button {
            objectName: "enroll.save"
            text: qsTr("Save to file…")
            onClicked: saveDialog.open()
            Accessible.name: qsTr("Save the codes to a file")
            Accessible.onPressAction: if (enabled) clicked()
        }
        Button {
            objectName: "enroll.print"
            text: qsTr("Print…")
            onClicked: page.model.printCodes()
            Accessible.name: qsTr("Print the codes")
            Accessible.description: qsTr("Opens the codes as a PDF page in your viewer, to print from there.")
            Accessible.onPressAction: if (enabled) clicked()
        }
        Item { Layout.fillWidth: true }
    }
    CodeField {
        id: typeBack
        visible: page.step === EnrollModel.Codes
        numeric: false
        label: qsTr("To check you have kept them, type any one of the codes")
        fieldObjectName: "enroll.typeBack"
        placeholderText: "XXXX-XXXX-XXXX-XXXX"
        onAccepted: page.submitCodes()
    }
    PrimaryButton {
        id: confirmCodes
        objectName: "enroll.confirmCodes"
        visible: page.step === EnrollModel.Codes
        text: qsTr("I have saved them")
        enabled: !AppController.busy && typeBack.significantLength > 0
        onClicked: page.submitCodes()
    }

    // --- Done ---
    RowLayout {
        visible: page.step === EnrollModel.Done
        Layout.fillWidth: true
        spacing: 12
        Rectangle {
            Layout.alignment: Qt.AlignTop
            implicitWidth: 32
            implicitHeight: 32
            radius: 16
            color: Theme.success
            Accessible.ignored: true
            Label {
                anchors.centerIn: parent
                text: "\u2713"
                Accessible.ignored: true // decoration; the heading next to it says it
                color: Theme.surface
                font.pixelSize: 18
                font.bold: true
            }
        }
        Label {
            objectName: "enroll.doneText"
            Layout.fillWidth: true
            text: page.model.doneText
            wrapMode: Text.WordWrap
            color: Theme.text
            font.pixelSize: Theme.bodySize
            Accessible.role: Accessible.StaticText
            Accessible.name: page.model.doneTitle
            Accessible.description: text
        }
    }
    PrimaryButton {
        id: finish
        objectName: "enroll.finish"
        visible: page.step === EnrollModel.Done
        text: qsTr("Done")
        onClicked: page.model.close()
    }
    Button {
        objectName: "enroll.addRecovery"
        Layout.fillWidth: true
        implicitHeight: 40
        font.pixelSize: Theme.bodySize
        visible: page.step === EnrollModel.Done && page.model.suggestRecovery && page.model.offerRecovery
        text: qsTr("Set up recovery codes too")
        onClicked: page.model.chooseRecovery()
        Accessible.name: text
        Accessible.onPressAction: if (enabled) clicked()
    }

    MessageBox {
        objectName: "enroll.error"
        text: page.model.error
    }

    AssurancePanel {
        source: page.model
    }

    RowLayout {
        Layout.fillWidth: true
        LinkButton {
            id: backButton
            objectName: "enroll.back"
            visible: (page.step === EnrollModel.Totp || page.step === EnrollModel.Codes
                      || page.step === EnrollModel.SecurityKey) && !AppController.securityKey.waiting
            text: qsTr("Back")
            onClicked: page.model.backToChoose()
        }
        Item { Layout.fillWidth: true }
        LinkButton {
            id: cancelButton
            objectName: "enroll.cancel"
            visible: !page.model.restricted && page.step !== EnrollModel.Done
            text: qsTr("Cancel")
            onClicked: page.model.close()
        }
        LinkButton {
            objectName: "enroll.signOut"
            visible: page.model.restricted
            text: page.model.setup ? qsTr("Finish set-up later") : qsTr("Sign out")
            onClicked: page.model.signOut()
        }
    }

    Connections {
        target: page.model
        function onFailed() {
            totpCode.clear()
            typeBack.clear()
            page.focusFirst()
        }
    }

    FileDialog {
        id: saveDialog
        objectName: "enroll.saveDialog"
        title: qsTr("Save recovery codes")
        acceptLabel: qsTr("Save")
        rejectLabel: qsTr("Cancel")
        currentFolder: page.model.defaultSaveFolder
        fileMode: FileDialog.SaveFile
        defaultSuffix: "txt"
        nameFilters: [qsTr("Text files (*.txt)")]
        selectedFile: page.model.defaultSaveFile
        onAccepted: page.model.saveCodes(selectedFile)
    }

    // Escape: back to the choice from a step, else Cancel where the wizard can be left.
    Keys.onEscapePressed: {
        if (backButton.visible)
            page.model.backToChoose()
        else if (cancelButton.visible)
            page.model.close()
    }
}
