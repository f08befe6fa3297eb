import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A secondary action shown as a flat, accent-coloured button (cancel, switch mode, back).
Button {
    id: control

    flat: true
    font.pixelSize: Theme.bodySize
    palette.buttonText: Theme.accent
    focusPolicy: Qt.StrongFocus

    Accessible.name: text
    Accessible.onPressAction: if (control.enabled) control.clicked()
    Keys.onReturnPressed: if (enabled) clicked()
    Keys.onEnterPressed: if (enabled) clicked()

    // Focus that Qt Quick hands back (a control re-enabled after the app was busy) or that a screen
    // gives its first control is keyboard focus: show the focus ring.
    onActiveFocusChanged: if (activeFocus && focusReason === Qt.OtherFocusReason) focusReason = Qt.TabFocusReason
}
