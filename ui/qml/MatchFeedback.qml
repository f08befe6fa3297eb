import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// Whether the repeated entry matches, once something has been typed into it.
Label {
    required property PasswordEntry entry

    Layout.fillWidth: true
    visible: !entry.repeatEmpty
    text: entry.matches ? qsTr("Both entries match.") : qsTr("The entries do not match yet.")
    color: entry.matches ? Theme.success : Theme.secondaryText
    font.pixelSize: Theme.smallSize
    wrapMode: Text.WordWrap
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("Repeat check")
    Accessible.description: text
}
