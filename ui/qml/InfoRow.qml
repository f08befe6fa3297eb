import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// "Label: value" line for facts (vault location, key source, session times).
RowLayout {
    id: root

    property alias label: key.text
    property alias value: val.text
    property alias valueObjectName: val.objectName
    // A second, smaller line under the value for the detail on demand (the AAL under "Two-step
    // sign-in"); hidden when empty.
    property alias detail: detailLine.text
    property alias detailObjectName: detailLine.objectName
    property bool monospace: false
    property bool busy: false

    Layout.fillWidth: true
    spacing: 12

    // The label column is as wide as the widest label among the rows beside it (96 to 200 px), so
    // that a longer translation ("Schlüssel liegt in") stays on one line and the values still line up.
    readonly property real labelWidth: key.implicitWidth

    Label {
        id: key
        Layout.preferredWidth: {
            const rows = root.parent ? root.parent.children : []
            let widest = 96
            for (let i = 0; i < rows.length; ++i)
                if (rows[i].labelWidth !== undefined && rows[i].visible)
                    widest = Math.max(widest, Math.ceil(rows[i].labelWidth))
            return Math.min(widest, 200)
        }
        Layout.alignment: Qt.AlignTop
        color: Theme.secondaryText
        font.pixelSize: Theme.bodySize
        wrapMode: Text.WordWrap
        Accessible.ignored: true // the value carries it as its name
    }
    Spinner {
        running: root.busy
        Layout.preferredWidth: 18
        Layout.preferredHeight: 18
    }
    ColumnLayout {
        Layout.fillWidth: true
        spacing: 1
        Label {
            id: val
            Layout.fillWidth: true
            color: Theme.text
            font.pixelSize: root.monospace ? Theme.smallSize : Theme.bodySize
            font.family: root.monospace ? "monospace" : key.font.family
            // Identifiers and paths stay on one line (middle elided); the full text is in the tooltip
            // and in the accessible description.
            wrapMode: root.monospace ? Text.NoWrap : Text.WordWrap
            elide: root.monospace ? Text.ElideMiddle : Text.ElideNone
            ToolTip.visible: root.monospace && truncated && valueHover.hovered
            ToolTip.text: text
            HoverHandler { id: valueHover; cursorShape: val.hoveredLink ? Qt.PointingHandCursor : Qt.ArrowCursor }
            onLinkActivated: (link) => Qt.openUrlExternally(link)
            Accessible.role: Accessible.StaticText
            Accessible.name: key.text
            Accessible.description: detailLine.text.length > 0 ? text + ". " + detailLine.text : text
        }
        Label {
            id: detailLine
            visible: text.length > 0
            Layout.fillWidth: true
            color: Theme.secondaryText
            font.pixelSize: Theme.smallSize
            wrapMode: Text.WordWrap
            Accessible.ignored: true // the value's description carries it
        }
    }
}
