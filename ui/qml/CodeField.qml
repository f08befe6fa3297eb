import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A labelled entry for a one-time code: digits only (authenticator codes) or letters and digits
// (recovery codes), monospace and large enough to compare with the app or the printed sheet.
ColumnLayout {
    id: root

    property alias label: caption.text
    property alias text: input.text
    property alias placeholderText: input.placeholderText
    property alias fieldObjectName: input.objectName
    property alias hint: hintLabel.text
    property alias input: input
    property bool numeric: true
    readonly property RegularExpressionValidator digitsOnly: RegularExpressionValidator {
        regularExpression: /[0-9 ]{0,9}/
    }
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
    }
    TextField {
        id: input
        Layout.fillWidth: !root.numeric
        Layout.preferredWidth: root.numeric ? 220 : -1
        implicitHeight: 44
        font.family: "monospace"
        font.pixelSize: 20
        font.letterSpacing: root.numeric ? 3 : 1
        font.capitalization: root.numeric ? Font.MixedCase : Font.AllUppercase
        selectByMouse: true
        maximumLength: root.numeric ? 9 : 24
        validator: root.numeric ? root.digitsOnly : null
        inputMethodHints: root.numeric
                          ? (Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText)
                          : (Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData)
        onAccepted: root.accepted()
        onTextEdited: root.textEdited()
        Accessible.name: caption.text
        Accessible.description: hintLabel.text
    }
    Label {
        id: hintLabel
        Layout.fillWidth: true
        visible: text.length > 0
        wrapMode: Text.WordWrap
        color: Theme.secondaryText
        font.pixelSize: Theme.smallSize
    }
}
