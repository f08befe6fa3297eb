import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Gatehouse.Ui

ScreenPage {
    id: page
    objectName: "homeScreen"

    readonly property HomeModel model: AppController.home
    cardWidth: 520 // room for the per-layer health chips

    // Nothing here to press first (Sign out lives in the sidebar, never the first focus): the
    // sidebar's Home entry takes it (Main.qml).
    function focusFirst() { return false }

    title: qsTr("You are signed in")

    RowLayout {
        Layout.fillWidth: true
        spacing: 14
        Rectangle {
            implicitWidth: 48
            implicitHeight: 48
            radius: 24
            color: Theme.noticeBackground
            border.color: Theme.accent
            Accessible.ignored: true
            Label {
                anchors.centerIn: parent
                text: page.model.username.length > 0 ? page.model.username.charAt(0).toUpperCase() : ""
                color: Theme.accent
                font.pixelSize: 20
                font.weight: Font.DemiBold
                Accessible.ignored: true
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                objectName: "home.username"
                Layout.fillWidth: true
                text: page.model.username
                elide: Text.ElideRight
                color: Theme.text
                font.pixelSize: 18
                font.weight: Font.DemiBold
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Signed in as")
                Accessible.description: text
            }
            Label {
                objectName: "home.role"
                text: qsTr("Role: %1").arg(page.model.role)
                color: Theme.secondaryText
                font.pixelSize: Theme.bodySize
                Accessible.role: Accessible.StaticText
                Accessible.name: qsTr("Role")
                Accessible.description: page.model.role
            }
        }
    }

    MessageBox {
        objectName: "home.notice"
        kind: "notice"
        text: page.model.notice
    }

    SectionHeader { text: qsTr("This session") }
    InfoRow {
        label: qsTr("Verified by")
        value: page.model.factors
        valueObjectName: "home.factor"
    }
    InfoRow {
        label: qsTr("Sign-in")
        value: page.model.assurance
        valueObjectName: "home.assurance"
        detail: page.model.aalText
        detailObjectName: "home.aal"
    }
    InfoRow {
        label: qsTr("Started")
        value: page.model.created
        valueObjectName: "home.created"
    }
    InfoRow {
        label: qsTr("Expires")
        value: qsTr("%1 · %2").arg(page.model.expires).arg(page.model.timeLeft)
        valueObjectName: "home.expires"
    }
    InfoRow {
        label: qsTr("Session ID")
        value: page.model.sessionId
        valueObjectName: "home.sessionId"
        monospace: true
    }

    SectionHeader { text: qsTr("Vault") }
    InfoRow {
        label: qsTr("Location")
        value: AppController.vaultPath
        monospace: true
    }
    InfoRow {
        label: qsTr("Key kept in")
        value: AppController.keyLocation
    }

    HealthPanel {
        Component.onCompleted: AppController.health.load()
    }

    MessageBox {
        objectName: "home.mfaHint"
        kind: "notice"
        text: page.model.accountMultiFactor || page.model.username.length === 0 ? ""
              : qsTr("Only a password protects this account. Add an authenticator app in My security.")
    }
}
