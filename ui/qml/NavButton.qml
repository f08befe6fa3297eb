import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// One entry of the window's sidebar: the section's name, its shortcut as a hint, and a highlight
// while it is the current section.
Button {
    id: control

    property bool current: false
    property string shortcutText: ""

    Layout.fillWidth: true
    implicitHeight: 38
    flat: true
    focusPolicy: Qt.StrongFocus
    font.pixelSize: Theme.bodySize
    font.weight: current ? Font.DemiBold : Font.Normal

    Accessible.name: text
    Accessible.description: current ? qsTr("Current section") : ""
    Accessible.onPressAction: if (control.enabled) control.clicked()
    Keys.onReturnPressed: if (enabled) clicked()
    Keys.onEnterPressed: if (enabled) clicked()
    onActiveFocusChanged: if (activeFocus && focusReason === Qt.OtherFocusReason) focusReason = Qt.TabFocusReason

    background: Rectangle {
        radius: 6
        color: control.current ? Theme.noticeBackground
             : (control.down || control.hovered) ? Theme.surfaceAlt : "transparent"
        border.width: control.visualFocus ? 2 : 0
        border.color: Theme.accent
    }
    contentItem: RowLayout {
        spacing: 8
        Rectangle { // the current section's marker
            implicitWidth: 3
            implicitHeight: 18
            radius: 1
            color: control.current ? Theme.accent : "transparent"
            Accessible.ignored: true
        }
        Label {
            Layout.fillWidth: true
            text: control.text
            font: control.font
            color: control.current ? Theme.accent : Theme.text
            elide: Text.ElideRight
            Accessible.ignored: true
        }
        Label {
            text: control.shortcutText
            visible: text.length > 0
            color: Theme.secondaryText
            font.pixelSize: Theme.smallSize
            Accessible.ignored: true
        }
    }
}
