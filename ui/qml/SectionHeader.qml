import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A small heading that splits a card into parts.
ColumnLayout {
    property alias text: heading.text

    Layout.fillWidth: true
    Layout.topMargin: 6
    spacing: 6

    // A Text, not a Label: Qt 6.4's Label resets Accessible.role to static text when
    // accessibility comes on (ui/controlaccessible.h reads the role of text items).
    Text {
        id: heading
        color: Theme.secondaryText
        font.pixelSize: Theme.smallSize
        font.weight: Font.DemiBold
        font.capitalization: Font.AllUppercase
        font.letterSpacing: 0.8
        Accessible.role: Accessible.Heading
        Accessible.name: text
    }
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: 1
        color: Theme.border
    }
}
