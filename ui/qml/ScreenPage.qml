import QtQuick
import QtQuick.Controls
import Gatehouse.Ui

// A screen: the card centred in the window, scrolling when the window is short. A signed-in section
// (next to the sidebar) uses the width, up to a readable maximum, from the top.
FocusScope {
    id: page

    default property alias content: card.content
    property alias title: card.title
    property alias subtitle: card.subtitle
    // Wider cards for screens with more to show (the wizard, My security).
    property int cardWidth: Theme.cardWidth
    // Fixed when the screen is made (a screen is in the shell or not for its whole life): a binding
    // re-laid out the old screen while it was being replaced (see Main.qml's sidebar).
    property bool wide: false
    Component.onCompleted: wide = AppController.inShell

    // Scrolls so `target` (an item inside the card) is in view, e.g. when it takes keyboard focus.
    function ensureVisible(target) {
        const top = target.mapToItem(flick.contentItem, 0, 0).y - 16
        const bottom = top + target.height + 32
        if (top < flick.contentY)
            flick.contentY = Math.max(0, top)
        else if (bottom > flick.contentY + flick.height)
            flick.contentY = Math.min(flick.contentHeight - flick.height, bottom - flick.height)
    }

    // Keyboard users: whatever takes focus inside the card (Tab, focusFirst) scrolls into view.
    function isInCard(item) {
        for (let p = item; p; p = p.parent)
            if (p === card)
                return true
        return false
    }
    function revealFocus() {
        const focused = page.Window.activeFocusItem
        if (focused && focused !== card && isInCard(focused))
            ensureVisible(focused)
    }
    Connections {
        target: page.Window.window
        function onActiveFocusItemChanged() { page.revealFocus() }
    }

    Flickable {
        id: flick
        anchors.fill: parent
        contentWidth: width
        contentHeight: Math.max(height, card.y + card.height + 32)
        boundsBehavior: Flickable.StopAtBounds
        clip: true
        ScrollBar.vertical: ScrollBar { Accessible.name: qsTr("Scroll the page") }

        Card {
            id: card
            width: page.wide ? Math.min(Math.max(page.cardWidth, Theme.maxContentWidth), flick.width - 48)
                             : Math.min(page.cardWidth, flick.width - 32)
            height: implicitHeight
            x: (flick.width - width) / 2
            y: page.wide ? 24 : Math.max(32, (flick.height - height) / 2)
        }
    }
}
