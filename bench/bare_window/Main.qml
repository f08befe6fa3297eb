// The reference window for bench_startup: one Window, one Text, nothing else, at the size the
// Gatehouse window opens with (ui/qml/Main.qml: 1100×680), so both draw as many pixels.
import QtQuick

Window {
    width: 1100
    height: 680
    visible: true
    title: "bench_bare_window"

    Text {
        anchors.centerIn: parent
        text: "Hello"
    }
}
