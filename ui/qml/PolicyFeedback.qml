import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Live password-policy feedback for a PasswordEntry: a length meter (code points against the
// minimum) and the policy's own sentence, in red until the password is acceptable.
ColumnLayout {
    id: root

    required property PasswordEntry entry
    property string objectNamePrefix

    Layout.fillWidth: true
    spacing: 4
    visible: !entry.empty

    RowLayout {
        Layout.fillWidth: true
        spacing: 10
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 4
            radius: 2
            color: Theme.border
            Rectangle {
                height: parent.height
                radius: 2
                width: parent.width * Math.min(1, root.entry.minimum > 0 ? root.entry.codePoints / root.entry.minimum : 1)
                color: root.entry.acceptable ? Theme.success : Theme.error
            }
        }
        Label {
            objectName: root.objectNamePrefix + ".count"
            text: qsTr("%1 / %2 characters").arg(root.entry.codePoints).arg(root.entry.minimum)
            color: Theme.secondaryText
            font.pixelSize: Theme.smallSize
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("Length")
            Accessible.description: text
        }
    }
    Label {
        objectName: root.objectNamePrefix + ".explanation"
        Layout.fillWidth: true
        text: root.entry.explanation
        visible: text.length > 0
        wrapMode: Text.WordWrap
        color: root.entry.acceptable ? Theme.success : Theme.error
        font.pixelSize: Theme.smallSize
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("Password policy")
        Accessible.description: text
    }
}
