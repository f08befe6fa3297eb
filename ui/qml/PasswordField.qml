import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A labelled password entry with a show/hide toggle. QML keeps the typed text only inside the
// TextField; screens hand it to their view-model with a one-way call.
ColumnLayout {
    id: root

    property alias label: caption.text
    property alias text: input.text
    property alias fieldObjectName: input.objectName
    property alias toggleObjectName: toggle.objectName
    property string description: qsTr("Password entry. The characters are hidden unless you choose Show.")
    property alias input: input
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
    }
    TextField {
        id: input
        Layout.fillWidth: true
        implicitHeight: Theme.fieldHeight
        font.pixelSize: Theme.bodySize
        rightPadding: toggle.width + 8
        echoMode: toggle.checked ? TextInput.Normal : TextInput.Password
        passwordCharacter: "\u2022"
        selectByMouse: true
        inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
        onAccepted: root.accepted()
        onTextEdited: root.textEdited()
        Accessible.name: caption.text
        Accessible.description: root.description
        Accessible.passwordEdit: !toggle.checked

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
            Accessible.name: checked ? qsTr("Hide %1").arg(caption.text) : qsTr("Show %1").arg(caption.text)
            Accessible.onPressAction: toggle.toggle()
            Accessible.onToggleAction: toggle.toggle()
        }
    }
}
