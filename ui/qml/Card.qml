import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The centred card every screen puts its form in: a title, an optional subtitle, then content.
Rectangle {
    id: card

    default property alias content: column.data
    property alias title: titleLabel.text
    property alias subtitle: subtitleLabel.text

    implicitWidth: Theme.cardWidth
    implicitHeight: column.implicitHeight + 2 * Theme.cardPadding
    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.border

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.cardPadding
        spacing: 14

        Text { // not a Label, which resets Accessible.role (see SectionHeader.qml)
            id: titleLabel
            objectName: "screenTitle"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.text
            font.pixelSize: Theme.titleSize
            font.weight: Font.DemiBold
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            id: subtitleLabel
            Layout.fillWidth: true
            Layout.topMargin: -6
            visible: text.length > 0
            wrapMode: Text.WordWrap
            color: Theme.secondaryText
            font.pixelSize: Theme.bodySize
            lineHeight: 1.15
            Accessible.role: Accessible.StaticText
            Accessible.description: text
        }
    }
}
