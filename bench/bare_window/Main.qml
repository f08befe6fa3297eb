// The reference window for bench_startup: one Window, one Text, nothing else.
import QtQuick

Window {
    width: 640
    height: 480
    visible: true
    title: "bench_bare_window"

    Text {
        anchors.centerIn: parent
        text: "Hello"
    }
}
