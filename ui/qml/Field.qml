import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A labelled single-line text entry.
ColumnLayout {
    id: root

    property alias label: caption.text
    property alias text: input.text
    property alias placeholderText: input.placeholderText
    property alias fieldObjectName: input.objectName
    property alias hint: hintLabel.text
    property alias input: input
    // The hint says what is wrong with the text (inline validation): shown in the error colour.
    property bool hintIsError: false
    signal accepted()
    // The text changed: typed, pasted, or written by a screen reader through AT-SPI EditableText
    // (which sets the text property, so TextField's own textEdited never fires for it).
    signal textEdited()

    function forceFocus() { input.forceActiveFocus() }

    Layout.fillWidth: true
    spacing: 6

    Label {
        id: caption
        color: Theme.text
        font.pixelSize: Theme.bodySize
        font.weight: Font.Medium
    }
    TextField {
        id: input
        Layout.fillWidth: true
        implicitHeight: Theme.fieldHeight
        // The text's inset of the password fields (PasswordField.qml), so fields line up.
        leftPadding: 8
        rightPadding: 8
        font.pixelSize: Theme.bodySize
        selectByMouse: true
        onAccepted: root.accepted()
        onTextChanged: root.textEdited()
        Accessible.name: caption.text
        Accessible.description: hintLabel.text
    }
    Label {
        id: hintLabel
        Layout.fillWidth: true
        visible: text.length > 0
        wrapMode: Text.WordWrap
        color: root.hintIsError ? Theme.error : Theme.secondaryText
        font.pixelSize: Theme.smallSize
    }
}
