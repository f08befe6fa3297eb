import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// A labelled entry for a one-time code: digits only (authenticator codes) or letters and digits
// (recovery codes), monospace and large enough to compare with the app or the printed sheet.
// A code is a secret while it is valid, so it is a SecretInput too (masked, with Show); QML reads
// its length only and hands the field to the view-model.
ColumnLayout {
    id: root

    property alias label: caption.text
    property alias placeholderText: placeholder.text
    property alias fieldObjectName: input.objectName
    property alias toggleObjectName: toggle.objectName
    property alias hint: hintLabel.text
    property alias input: input
    property alias revealed: input.revealed
    property bool numeric: true
    readonly property int length: input.length
    // Characters other than spaces (an authenticator code is complete at 6 or 8).
    readonly property int significantLength: input.significantLength
    readonly property bool empty: input.empty
    signal accepted()
    signal textEdited()

    function forceFocus() { input.forceActiveFocus() }
    function clear() { input.clear() }

    Layout.fillWidth: true
    spacing: 6

    Label {
        id: caption
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        color: Theme.text
        font.pixelSize: Theme.bodySize
        font.weight: Font.Medium
        Accessible.ignored: true // the field carries it as its name
    }
    Rectangle {
        id: frame
        Layout.fillWidth: !root.numeric
        Layout.preferredWidth: root.numeric ? 220 : -1
        implicitHeight: 44
        radius: 2
        color: root.enabled ? (Theme.dark ? Theme.surfaceAlt : Theme.surface) : Theme.background
        border.color: input.activeFocus ? Theme.accent : Theme.fieldBorder
        border.width: input.activeFocus ? 2 : 1

        Text {
            id: placeholder
            anchors.left: parent.left
            anchors.leftMargin: 8
            anchors.right: toggle.left // never under the Show button
            anchors.rightMargin: 8
            anchors.verticalCenter: parent.verticalCenter
            visible: input.empty && text.length > 0
            color: Theme.secondaryText
            // The code's monospace, but a long hint ("Authenticator or recovery code") as written,
            // at body size, and cut short rather than overflowing.
            font.family: input.font.family
            font.pixelSize: root.numeric ? input.font.pixelSize : Theme.bodySize
            font.letterSpacing: root.numeric ? input.font.letterSpacing : 0
            elide: Text.ElideRight
            Accessible.ignored: true
        }
        SecretInput {
            id: input
            anchors.fill: parent
            leftPadding: 8
            rightPadding: toggle.width + 8
            label: caption.text
            hint: hintLabel.text
            revealed: toggle.checked
            digitsOnly: root.numeric
            maximumLength: root.numeric ? 9 : 24
            font.family: "monospace"
            font.pixelSize: 20
            font.letterSpacing: root.numeric ? 3 : 1
            font.capitalization: root.numeric ? Font.MixedCase : Font.AllUppercase
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
    Label {
        id: hintLabel
        Layout.fillWidth: true
        visible: text.length > 0
        wrapMode: Text.WordWrap
        color: Theme.secondaryText
        font.pixelSize: Theme.smallSize
        Accessible.ignored: true // the field's description
    }
}
