import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// The signed-in sections, like GNOME Settings: each shown only when the session may open it (the
// core refuses the calls anyway), the current one highlighted; Lock and Sign out at the bottom.
// It scrolls when the window is too short for it.
Rectangle {
    id: sidebar
    objectName: "sidebar"

    signal sectionChosen(int screen)

    implicitWidth: 210
    width: implicitWidth
    color: Theme.surface

    // A fixed list (a binding here would rebuild every entry, and drop the focus, whenever what the
    // session may open changes); whether an entry shows is asked per entry.
    readonly property var entries: [
        { name: "home", text: qsTr("Home"), a11y: qsTr("Home"), screen: AppController.Home, key: qsTr("Ctrl+1") },
        { name: "security", text: qsTr("My security"), a11y: qsTr("My security: factors, recovery codes"), screen: AppController.Security, key: qsTr("Ctrl+2") },
        { name: "sessions", text: qsTr("Sessions"), a11y: qsTr("Active sessions: see and end your sessions"), screen: AppController.Sessions, key: qsTr("Ctrl+3") },
        { name: "people", text: qsTr("People"), a11y: qsTr("People: accounts, their state, factors and sessions"), screen: AppController.People, key: qsTr("Ctrl+4") },
        { name: "roles", text: qsTr("Roles"), a11y: qsTr("Roles: who holds which role, custom roles"), screen: AppController.Roles, key: qsTr("Ctrl+5") },
        { name: "audit", text: qsTr("Audit log"), a11y: qsTr("Audit log: events, diagnosis by layer, chain verification"), screen: AppController.Audit, key: qsTr("Ctrl+6") }
    ]

    function shown(name) {
        if (name === "people")
            return AppController.people.available
        if (name === "roles")
            return AppController.roles.available
        return true
    }

    // The current section's entry takes the focus (a screen with no safe first control).
    function focusCurrent() {
        for (let i = 0; i < nav.count; ++i) {
            const entry = nav.itemAt(i)
            if (entry && entry.current) {
                entry.forceActiveFocus(Qt.TabFocusReason)
                return
            }
        }
    }

    Rectangle { // the border towards the page
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: 1
        color: Theme.border
    }

    Flickable {
        id: flick
        anchors.fill: parent
        anchors.rightMargin: 1
        contentWidth: width
        contentHeight: column.implicitHeight + 24
        boundsBehavior: Flickable.StopAtBounds
        clip: true
        ScrollBar.vertical: ScrollBar { Accessible.name: qsTr("Scroll the sections") }

        ColumnLayout {
            id: column
            x: 10
            y: 12
            width: flick.width - 20
            height: Math.max(implicitHeight, flick.height - 24)
            spacing: 2

            Label {
                objectName: "sidebar.account"
                Layout.fillWidth: true
                Layout.leftMargin: 8
                text: AppController.home.username
                elide: Text.ElideRight
                color: Theme.text
                font.pixelSize: Theme.bodySize + 1
                font.weight: Font.DemiBold
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Account")
                Accessible.description: text
            }
            Label {
                Layout.fillWidth: true
                Layout.leftMargin: 8
                Layout.bottomMargin: 10
                text: AppController.home.role
                elide: Text.ElideRight
                color: Theme.secondaryText
                font.pixelSize: Theme.smallSize
                Accessible.ignored: true
            }

            Repeater {
                id: nav
                model: sidebar.entries
                NavButton {
                    required property var modelData
                    objectName: "nav." + modelData.name
                    visible: sidebar.shown(modelData.name)
                    text: modelData.text
                    Accessible.name: modelData.a11y
                    shortcutText: modelData.key
                    current: AppController.screen === modelData.screen
                    onClicked: sidebar.sectionChosen(modelData.screen)
                }
            }

            Item { Layout.fillHeight: true; Layout.minimumHeight: 16 }

            NavButton {
                objectName: "nav.lock"
                text: qsTr("Lock")
                shortcutText: qsTr("Ctrl+L")
                onClicked: AppController.lock()
                Accessible.name: qsTr("Lock the window")
            }
            NavButton {
                objectName: "nav.signOut"
                text: qsTr("Sign out")
                onClicked: AppController.home.signOut()
            }
        }
    }
}
