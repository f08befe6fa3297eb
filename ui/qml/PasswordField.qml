import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// A labelled password, passphrase or PIN entry with a Show toggle. The typed text lives only in
// the SecretInput (C++, a SecureBuffer); QML reads facts (length), never the text, and a screen
// hands the field itself to its view-model (model.submitPassword(field.input)).
ColumnLayout {
    id: root

    property alias label: caption.text
    property alias fieldObjectName: input.objectName
    property alias toggleObjectName: toggle.objectName
    // The field's hint: its accessible description (the control adds "Hidden." or "Shown as plain text.").
    property string description: ""
    property alias input: input
    property alias revealed: input.revealed
    readonly property int length: input.length
    readonly property bool empty: input.empty
    signal accepted()
    signal textEdited()

    function forceFocus() { input.forceActiveFocus() }
    function clear() { input.clear() }

    Layout.fillWidth: true
    spacing: 6

    Label {
        id: caption
        color: Theme.text
        font.pixelSize: Theme.bodySize
        font.weight: Font.Medium
        Accessible.ignored: true // the field carries it as its name
    }
    Rectangle {
        id: frame
        Layout.fillWidth: true
        implicitHeight: Theme.fieldHeight
        radius: 2
        color: root.enabled ? (Theme.dark ? Theme.surfaceAlt : Theme.surface) : Theme.background
        border.color: input.activeFocus ? Theme.accent : Theme.fieldBorder
        border.width: input.activeFocus ? 2 : 1

        SecretInput {
            id: input
            anchors.fill: parent
            leftPadding: 8
            rightPadding: toggle.width + 8
            label: caption.text
            hint: root.description
            revealed: toggle.checked
            font.pixelSize: Theme.bodySize
            color: Theme.text
            selectionColor: Theme.accent
            selectedTextColor: Theme.accentText
            onAccepted: root.accepted()
            onTextEdited: root.textEdited()
        }
        ToolButton {
            id: toggle
            anchors.right: parent.right
            anchors.rightMargin: 2
            anchors.verticalCenter: parent.verticalCenter
            height: parent.height - 4
            checkable: true
            text: checked ? qsTr("Hide") : qsTr("Show")
            font.pixelSize: Theme.smallSize
            palette.buttonText: Theme.accent
            Accessible.name: qsTr("Show %1").arg(caption.text)
            Accessible.description: checked ? qsTr("%1 is shown as plain text.").arg(caption.text)
                                            : qsTr("%1 is hidden.").arg(caption.text)
            Accessible.onPressAction: if (toggle.enabled) toggle.toggle()
            Accessible.onToggleAction: if (toggle.enabled) toggle.toggle()
        }
    }
}
