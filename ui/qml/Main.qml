import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

// The one window. The current screen follows AppController.screen.
ApplicationWindow {
    id: window

    // Fits a 1366×768 screen with the panel and the title bar; every screen scrolls down to the
    // minimum size.
    width: 1100
    height: 680
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    // "account — vault — Gatehouse" (the vault by its file name without .db), so a window in a
    // task switcher says whose it is and which vault it shows.
    title: {
        const file = AppController.vaultPath.split("/").pop().replace(/\.db$/, "")
        const user = AppController.home.username
        if (user.length > 0)
            return qsTr("%1 — %2 — Gatehouse").arg(user).arg(file)
        return file.length > 0 ? qsTr("%1 — Gatehouse").arg(file) : qsTr("Gatehouse")
    }
    color: Theme.background

    palette.window: Theme.background
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.alternateBase: Theme.surfaceAlt
    palette.text: Theme.text
    palette.button: Theme.surfaceAlt
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.secondaryText
    palette.mid: Theme.fieldBorder
    palette.dark: Theme.fieldBorder
    palette.light: Theme.surface
    palette.midlight: Theme.surfaceAlt
    palette.shadow: Theme.border
    palette.toolTipBase: Theme.surface
    palette.toolTipText: Theme.text

    header: ToolBar {
        objectName: "header"
        implicitHeight: 56
        background: Rectangle { color: Theme.header }

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 20
            anchors.rightMargin: 12
            spacing: 12

            // The mark: a keyhole in a rounded square, drawn with plain items (no images to load).
            Rectangle {
                implicitWidth: 30
                implicitHeight: 30
                radius: 7
                color: "#3d7bff"
                Accessible.ignored: true
                Rectangle {
                    width: 10; height: 10; radius: 5
                    color: Theme.header
                    anchors.horizontalCenter: parent.horizontalCenter
                    y: 7
                }
                Rectangle {
                    width: 4; height: 10; radius: 1
                    color: Theme.header
                    anchors.horizontalCenter: parent.horizontalCenter
                    y: 14
                }
            }
            Label {
                text: qsTr("Gatehouse")
                color: Theme.headerText
                font.pixelSize: 19
                font.weight: Font.DemiBold
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Label {
                text: qsTr("Identity and sessions")
                color: Theme.headerSecondary
                font.pixelSize: Theme.smallSize + 1
                Layout.alignment: Qt.AlignBaseline
                Accessible.ignored: true
            }
            Item { Layout.fillWidth: true }
            ToolButton {
                objectName: "themeToggle"
                text: Theme.dark ? qsTr("Light") : qsTr("Dark")
                font.pixelSize: Theme.smallSize + 1
                palette.buttonText: Theme.headerText
                focusPolicy: Qt.StrongFocus
                onClicked: ColorScheme.toggle()
                Accessible.name: Theme.dark ? qsTr("Use the light palette") : qsTr("Use the dark palette")
                Accessible.onPressAction: if (enabled) clicked()
            }
        }
    }

    // SES-03: shortly before the idle deadline, say so (any input keeps the session).
    Rectangle {
        id: idleBanner
        objectName: "idleWarning"
        z: 10
        visible: AppController.watcher.idleWarning.length > 0
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        implicitHeight: idleText.implicitHeight + 20
        color: Theme.errorBackground
        border.color: Theme.error
        Label {
            id: idleText
            objectName: "idleWarning.text"
            anchors.fill: parent
            anchors.margins: 10
            text: AppController.watcher.idleWarning
            wrapMode: Text.WordWrap
            color: Theme.text
            font.pixelSize: Theme.bodySize
            Accessible.role: Accessible.AlertMessage
            Accessible.name: qsTr("Idle warning")
            Accessible.description: text
        }
    }

    // The shell: below the idle warning while it shows (so it never covers a screen's title), the
    // sidebar of the signed-in sections, the current screen, and the lock screen over both.
    FocusScope {
        id: shell
        objectName: "shell"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.top: idleBanner.visible ? idleBanner.bottom : parent.top
        focus: true

        // One Escape everywhere: a dialog takes its own first (popups get the keys before the
        // window), otherwise a section goes back to Home. The wizard and the password change
        // handle theirs (back a step, or cancel).
        Keys.onEscapePressed: (event) => {
            if (AppController.inShell && !AppController.locked && AppController.screen !== AppController.Home)
                AppController.showHome()
            else
                event.accepted = false
        }

        // Not part of start-up: built in the background once the first screen is up (or at once
        // if a section needs it first), then kept.
        Loader {
            id: sidebar
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            active: false
            asynchronous: true
            // Shown once a section has loaded, hidden once a screen outside the shell has (or the
            // window locked and the screen went): never while the old screen is still being torn
            // down (a width change then re-laid out a page whose model had just dropped its rows,
            // and Qt 6.4's layouts crashed on them).
            visible: window.shellScreen
            source: "Sidebar.qml"
            function focusCurrent() {
                if (item)
                    item.focusCurrent()
            }
            Connections {
                target: sidebar.item
                function onSectionChosen(screen) { window.openSection(screen) }
            }
        }

        Loader {
            id: screenLoader
            objectName: "screenLoader"
            anchors.left: sidebar.visible ? sidebar.right : parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            anchors.top: parent.top
            focus: true
            // Locked: the screen is unloaded, so nothing of the session stays on view.
            active: !AppController.locked
            // Screens load by URL, so start-up compiles and imports only the first one (the
            // enrollment wizard alone pulls in QtQuick.Dialogs).
            source: {
                switch (AppController.screen) {
                case AppController.FirstRun: return "FirstRun.qml"
                case AppController.Unlock: return "Unlock.qml"
                case AppController.SecondFactor: return "SecondFactor.qml"
                case AppController.ChangePassword: return "ChangePassword.qml"
                case AppController.Enroll: return "Enroll.qml"
                case AppController.Home: return "Home.qml"
                case AppController.Security: return "Security.qml"
                case AppController.Roles: return "Roles.qml"
                case AppController.Audit: return "Audit.qml"
                case AppController.Sessions: return "Sessions.qml"
                case AppController.People: return "People.qml"
                // Only when the answer is slow or failed: a quick start builds no Starting screen.
                case AppController.Starting:
                    return window.startingShown || AppController.startError.length > 0 ? "Starting.qml" : ""
                default: return "Login.qml"
                }
            }
            // Locking unloads the screen; the Loader has let go of it by now.
            onActiveChanged: if (!active) window.shellScreen = false
            onLoaded: {
                window.shellScreen = AppController.inShell
                // A screen that replaces another fades in; the first one is there with the window's
                // first frame (nothing to fade from, and no frame of an empty window).
                if (window.screenShown) {
                    item.opacity = 0
                    fadeIn.target = item
                    fadeIn.restart()
                }
                window.screenShown = true
                // A screen without a safe first control (Home, Roles, Sessions) hands the first focus
                // to its entry in the sidebar, with its focus ring.
                // (Later: the sidebar shows once every binding of the new screen has settled.)
                if (item.focusFirst() === false)
                    Qt.callLater(sidebar.focusCurrent)
            }
            NumberAnimation { id: fadeIn; property: "opacity"; from: 0; to: 1; duration: 140 }
        }


        Loader {
            id: lockLoader
            anchors.fill: parent
            active: AppController.locked
            focus: active
            source: "LockScreen.qml"
            onLoaded: item.focusFirst()
        }
    }

    // The prompts and dialogs below load by URL when they are needed, so start-up compiles and
    // builds none of them (issue 15 item 8: about 20 ms of a launch).

    // Other applications' sign-in requests (issue 11): the window is their agent; a request
    // brings it to the front.
    Loader {
        anchors.fill: parent
        z: 50
        active: AppController.agent.active
        source: "AgentPrompt.qml"
    }
    Connections {
        target: AppController.agent
        function onRequested() {
            if (window.visibility === Window.Minimized || !window.visible)
                window.showNormal()
            window.raise()
            window.requestActivate()
        }
    }
    // The keyring shows its own window (first use: a password for the new keyring) while the
    // service waits for it: say so above every screen, so nobody takes the wait for a hang.
    Rectangle {
        objectName: "keyringPrompt"
        parent: Overlay.overlay
        visible: AppController.keyringPrompt
        anchors.horizontalCenter: parent ? parent.horizontalCenter : undefined
        y: 12
        z: 100
        width: Math.min(promptText.implicitWidth + 32, parent ? parent.width - 32 : 480)
        height: promptText.implicitHeight + 20
        radius: 6
        color: Theme.noticeBackground
        border.color: Theme.accent
        Label {
            id: promptText
            anchors.centerIn: parent
            width: parent.width - 32
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Waiting for the keyring's password prompt… Answer it in its own window.")
            color: Theme.text
            font.pixelSize: Theme.bodySize
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
        AlertAnnouncer { target: promptText; text: AppController.keyringPrompt ? promptText.text : "" }
    }

    // SES-04: "confirm it's you" for sensitive actions of any screen (AppController.stepUp).
    Loader {
        active: AppController.stepUp.active
        source: "StepUpDialog.qml"
    }

    // Help (F1) and the close question: each loaded at its first use, then kept.
    function openDialog(loader) {
        loader.active = true
        loader.item.open()
    }
    Loader {
        id: helpLoader
        active: false
        source: "HelpDialog.qml"
    }

    // Closing while signed in: sign out, or keep the session with the window locked (and out of
    // the way, minimised); a remembered choice is applied without asking.
    property bool closeDecided: false
    property bool shellScreen: false // the loaded screen is a section of the shell (sidebar shown)
    property bool screenShown: false // a screen has been shown: the next ones fade in
    onShellScreenChanged: {
        if (shellScreen) {
            sidebar.asynchronous = false // completes a background build now
            sidebar.active = true
        }
    }
    Timer {
        interval: 500
        running: window.screenShown && !sidebar.active
        onTriggered: sidebar.active = true
    }
    // The service has not answered for 400 ms: show the Starting screen (a spinner, later the
    // error).
    property bool startingShown: false
    Timer {
        interval: 400
        running: AppController.screen === AppController.Starting && !window.startingShown
        onTriggered: window.startingShown = true
    }
    function keepLocked() {
        AppController.lock()
        window.showMinimized()
    }
    function signOutAndClose() {
        AppController.signOut()
        window.closeDecided = true
        window.close()
    }
    Loader {
        id: closeLoader
        active: false
        source: "CloseDialog.qml"
    }
    Connections {
        target: closeLoader.item
        function onKeepLocked() { window.keepLocked() }
        function onSignOut() { window.signOutAndClose() }
    }
    onClosing: (close) => {
        if (!AppController.signedIn || window.closeDecided)
            return
        close.accepted = false
        if (AppController.closeChoice === "lock")
            window.keepLocked()
        else if (AppController.closeChoice === "signOut")
            window.signOutAndClose()
        else
            window.openDialog(closeLoader)
    }

    // Keyboard (listed in Help, F1).
    function openSection(screen) {
        if (!AppController.inShell || AppController.locked)
            return
        switch (screen) {
        case AppController.Home: AppController.showHome(); break
        case AppController.Security: AppController.showSecurity(); break
        case AppController.Sessions: AppController.showSessions(); break
        case AppController.People: if (AppController.people.available) AppController.showPeople(); break
        case AppController.Roles: if (AppController.roles.available) AppController.showRoles(); break
        case AppController.Audit: AppController.showAudit(); break
        }
    }
    Shortcut {
        objectName: "shortcut.lock"
        sequence: "Ctrl+L"
        enabled: AppController.signedIn && !AppController.locked
        onActivated: AppController.lock()
    }
    Shortcut {
        sequence: "Ctrl+Q"
        onActivated: Qt.quit()
    }
    Shortcut {
        sequence: "F1"
        onActivated: window.openDialog(helpLoader)
    }
    Shortcut { sequences: ["Ctrl+1", "Alt+1"]; onActivated: window.openSection(AppController.Home) }
    Shortcut { sequences: ["Ctrl+2", "Alt+2"]; onActivated: window.openSection(AppController.Security) }
    Shortcut { sequences: ["Ctrl+3", "Alt+3"]; onActivated: window.openSection(AppController.Sessions) }
    Shortcut { sequences: ["Ctrl+4", "Alt+4"]; onActivated: window.openSection(AppController.People) }
    Shortcut { sequences: ["Ctrl+5", "Alt+5"]; onActivated: window.openSection(AppController.Roles) }
    Shortcut { sequences: ["Ctrl+6", "Alt+6"]; onActivated: window.openSection(AppController.Audit) }
}
