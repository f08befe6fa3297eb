import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The screen's main action: accent colour, Enter or Space activates it, a spinner while busy.
Button {
    id: control

    property bool busy: false

    Layout.fillWidth: true
    Layout.topMargin: 4
    implicitHeight: 40
    font.pixelSize: Theme.bodySize
    font.weight: Font.DemiBold

    Accessible.name: text
    Accessible.description: busy ? qsTr("Working, please wait") : ""
    Accessible.onPressAction: if (control.enabled) control.clicked() // a disabled button does nothing
    Keys.onReturnPressed: if (enabled) clicked()
    Keys.onEnterPressed: if (enabled) clicked()

    // Focus that Qt Quick hands back (a control re-enabled after the app was busy) or that a screen
    // gives its first control is keyboard focus: show the focus ring.
    onActiveFocusChanged: if (activeFocus && focusReason === Qt.OtherFocusReason) focusReason = Qt.TabFocusReason

    background: Rectangle {
        radius: 6
        color: !control.enabled ? Theme.disabled
             : (control.down || control.hovered) ? Theme.accentHover : Theme.accent
        border.width: control.visualFocus ? 2 : 0
        border.color: Theme.text
    }
    contentItem: Item {
        implicitWidth: children[0].implicitWidth
        implicitHeight: children[0].implicitHeight
        Row {
            anchors.centerIn: parent
            spacing: 8
            Spinner {
                running: control.busy
                width: 20
                height: 20
                anchors.verticalCenter: parent.verticalCenter
            }
            Label {
                text: control.text
                font: control.font
                color: control.enabled ? Theme.accentText : Theme.disabledText
                anchors.verticalCenter: parent.verticalCenter
            }
        }
    }
}
