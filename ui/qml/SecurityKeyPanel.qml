import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// The security-key prompts shared by the wizard step and the login step (SecurityKeyModel):
// "insert a key" with live detection, the key to use, a name (wizard), the key's PIN only when
// the key asked for it, then "touch your key" with a busy indicator and Cancel.
ColumnLayout {
    id: root

    readonly property SecurityKeyModel model: AppController.securityKey
    readonly property bool enrolling: model.enrolling
    property string actionText: enrolling ? qsTr("Register this key") : qsTr("Use security key")

    function focusFirst() {
        if (root.model.needsPin && pin.visible)
            pin.forceFocus()
        else if (root.enrolling && keyName.visible)
            keyName.forceFocus()
        else
            start.forceActiveFocus(Qt.TabFocusReason)
    }
    function submit() {
        if (root.model.canStart)
            root.model.start(keyName.text)
    }

    Layout.fillWidth: true
    spacing: 12

    // --- no key yet: live detection ---
    RowLayout {
        objectName: "key.insert"
        Layout.fillWidth: true
        visible: root.model.deviceCount === 0
        spacing: 12
        BusyIndicator {
            running: parent.visible
            implicitWidth: 32
            implicitHeight: 32
            Accessible.name: qsTr("Looking for a security key")
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("No security key found. Insert your key into a USB port (or hold it to the NFC reader); it shows up here by itself.")
            wrapMode: Text.WordWrap
            color: Theme.text
            font.pixelSize: Theme.bodySize
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
    }

    // --- which key ---
    ColumnLayout {
        Layout.fillWidth: true
        visible: root.model.deviceCount > 0
        spacing: 6
        Label {
            text: qsTr("Security key")
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.weight: Font.Medium
        }
        ComboBox {
            id: devicePicker
            objectName: "key.device"
            Layout.fillWidth: true
            model: root.model.devices
            textRole: "title"
            currentIndex: root.model.selected
            enabled: !root.model.waiting && root.model.deviceCount > 1
            onActivated: index => root.model.selected = index
            Accessible.name: qsTr("Security key to use")
            Accessible.description: currentText
        }
    }

    Label {
        objectName: "key.hint"
        Layout.fillWidth: true
        visible: root.model.deviceCount > 0 && !root.model.waiting
        text: root.enrolling ? qsTr("Name the key, press Register, then touch the key when it blinks.")
                             : qsTr("Press the button below, then touch your key when it blinks.")
        wrapMode: Text.WordWrap
        color: Theme.secondaryText
        font.pixelSize: Theme.bodySize
        Accessible.role: Accessible.StaticText
        Accessible.name: text
    }

    Field {
        id: keyName
        visible: root.enrolling
        label: qsTr("Name")
        fieldObjectName: "key.name"
        placeholderText: qsTr("e.g. Blue key on my keyring")
        hint: qsTr("So you can tell your keys apart in My security.")
        input.enabled: !root.model.waiting
        onAccepted: root.submit()
    }

    PasswordField {
        id: pin
        visible: root.model.needsPin
        label: qsTr("PIN of the security key")
        fieldObjectName: "key.pin"
        toggleObjectName: "key.showPin"
        description: qsTr("The PIN you set on the key itself. It goes to the key only and is never stored.")
        input.enabled: !root.model.waiting
        onTextEdited: root.model.setPin(pin.input)
        onAccepted: root.submit()
    }

    // --- waiting for the touch ---
    RowLayout {
        objectName: "key.touch"
        Layout.fillWidth: true
        visible: root.model.waiting
        spacing: 12
        BusyIndicator {
            running: parent.visible
            implicitWidth: 32
            implicitHeight: 32
            Accessible.name: qsTr("Waiting for the security key")
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("Touch your security key now. It blinks while it waits (up to 30 seconds).")
            wrapMode: Text.WordWrap
            color: Theme.text
            font.pixelSize: Theme.bodySize
            font.weight: Font.Medium
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        Button {
            objectName: "key.cancel"
            text: qsTr("Cancel")
            onClicked: root.model.cancel()
            Accessible.name: qsTr("Cancel waiting for the security key")
            Accessible.onPressAction: if (enabled) clicked()
        }
    }

    MessageBox {
        objectName: "key.error"
        text: root.model.error
    }

    PrimaryButton {
        id: start
        objectName: "key.start"
        text: root.model.waiting ? qsTr("Waiting for your touch…") : root.actionText
        busy: root.model.waiting
        enabled: root.model.canStart
        onClicked: root.submit()
        Accessible.name: root.actionText
    }

    Label {
        objectName: "key.relyingParty"
        Layout.fillWidth: true
        visible: root.enrolling && root.model.relyingParty.length > 0
        text: qsTr("The key is registered for this vault only.")
        color: Theme.secondaryText
        font.pixelSize: Theme.smallSize
        wrapMode: Text.WordWrap
        Accessible.role: Accessible.StaticText
        Accessible.name: text
        // The WebAuthn relying party id, for whoever asks (hover).
        readonly property string detail: qsTr("Relying party ID: %1").arg(root.model.relyingParty)
        Accessible.description: detail
        HoverHandler { id: relyingPartyHover }
        ToolTip.visible: relyingPartyHover.hovered
        ToolTip.text: detail
    }

    Connections {
        target: root.model
        function onFailed() {
            pin.clear()
            Qt.callLater(root.focusFirst)
        }
        // The PIN leaves the field as soon as it is no longer asked for (used, or the step left).
        function onStateChanged() {
            if (!root.model.needsPin)
                pin.clear()
        }
        function onPurposeChanged() {
            pin.clear()
            keyName.text = ""
        }
    }
}
