<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AgentPrompt</name>
    <message>
        <source>%1 asks you to sign in: %2. Unlock to answer.</source>
        <translation>%1 bittet Sie um eine Anmeldung: %2. Entsperren Sie, um zu antworten.</translation>
    </message>
    <message>
        <source>%1 asks you to sign in: %2. Sign in here to answer.</source>
        <translation>%1 bittet Sie um eine Anmeldung: %2. Melden Sie sich hier an, um zu antworten.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel %1&apos;s sign-in request</source>
        <translation>Die Anmeldeanfrage von %1 abbrechen</translation>
    </message>
    <message>
        <source>%1 wants you to sign in</source>
        <translation>%1 möchte, dass Sie sich anmelden</translation>
    </message>
    <message>
        <source>Reason given: %1</source>
        <translation>Angegebener Grund: %1</translation>
    </message>
    <message>
        <source>Reason the application gives</source>
        <translation>Grund, den die Anwendung angibt</translation>
    </message>
    <message>
        <source>It gets a sign-in of its own as %1, with only what your roles allow of:</source>
        <translation>Sie erhält eine eigene Anmeldung als %1, nur mit dem, was Ihre Rollen davon erlauben:</translation>
    </message>
    <message>
        <source>needs a two-factor sign-in</source>
        <translation>erfordert eine zweistufige Anmeldung</translation>
    </message>
    <message>
        <source>Permission: %1</source>
        <translation>Berechtigung: %1</translation>
    </message>
    <message>
        <source>Your password and codes stay here: the application never sees them.</source>
        <translation>Ihr Passwort und Ihre Codes bleiben hier: Die Anwendung sieht sie nie.</translation>
    </message>
    <message>
        <source>Allow</source>
        <translation>Erlauben</translation>
    </message>
    <message>
        <source>Sign %1 in with your account</source>
        <translation>%1 mit Ihrem Konto anmelden</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Deny %1</source>
        <translation>%1 ablehnen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>AssurancePanel</name>
    <message>
        <source>Your account</source>
        <translation>Ihr Konto</translation>
    </message>
    <message>
        <source>held</source>
        <translation>vorhanden</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>noch nicht</translation>
    </message>
    <message>
        <source>(e.g. %1)</source>
        <translation>(z. B. %1)</translation>
    </message>
    <message>
        <source>not held yet</source>
        <translation>noch nicht vorhanden</translation>
    </message>
    <message>
        <source>Sign-in reached</source>
        <translation>Erreichte Anmeldung</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>all accounts</source>
        <translation>alle Konten</translation>
    </message>
    <message>
        <source>your own history (%1)</source>
        <translation>Ihr eigener Verlauf (%1)</translation>
    </message>
    <message>
        <source>Verifying the audit chain</source>
        <translation>Die Protokollkette wird geprüft</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>Wird geprüft …</translation>
    </message>
    <message>
        <source>Verify now</source>
        <translation>Jetzt prüfen</translation>
    </message>
    <message>
        <source>Verify the audit chain now</source>
        <translation>Die Protokollkette jetzt prüfen</translation>
    </message>
    <message>
        <source>Audit chain status, L1 storage</source>
        <translation>Zustand der Protokollkette, Speicherung (L1)</translation>
    </message>
    <message>
        <source>Audit chain status</source>
        <translation>Zustand der Protokollkette</translation>
    </message>
    <message>
        <source>User (all)</source>
        <translation>Benutzer (alle)</translation>
    </message>
    <message>
        <source>Filter by user</source>
        <translation>Nach Benutzer filtern</translation>
    </message>
    <message>
        <source>Any layer</source>
        <translation>Jede Ebene</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicherung</translation>
    </message>
    <message>
        <source>Sign-in checks</source>
        <translation>Anmeldeprüfung</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <source>Filter by layer</source>
        <translation>Nach Ebene filtern</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>Jedes Ergebnis</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>erlaubt</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>Filter by outcome</source>
        <translation>Nach Ergebnis filtern</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <source>Apply the user filter</source>
        <translation>Den Benutzerfilter anwenden</translation>
    </message>
    <message>
        <source>Loading events</source>
        <translation>Ereignisse werden geladen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln shown, more as you scroll</source>
        <translation>
            <numerusform>%Ln angezeigt, weitere beim Blättern</numerusform>
            <numerusform>%Ln angezeigt, weitere beim Blättern</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>%Ln Ereignis</numerusform>
            <numerusform>%Ln Ereignisse</numerusform>
        </translation>
    </message>
    <message>
        <source>Scroll the events</source>
        <translation>Durch die Ereignisse blättern</translation>
    </message>
    <message>
        <source>Audit events, newest first</source>
        <translation>Protokollereignisse, neueste zuerst</translation>
    </message>
    <message>
        <source>No events match these filters.</source>
        <translation>Keine Ereignisse passen zu diesen Filtern.</translation>
    </message>
    <message>
        <source>Event %1, layer L%2, %3: %4 by %5</source>
        <translation>Ereignis %1, Ebene L%2, %3: %4 durch %5</translation>
    </message>
    <message>
        <source>Select an event to see which layer failed, what it means and what fixes it.</source>
        <translation>Wählen Sie ein Ereignis, um zu sehen, welche Ebene versagt hat, was das bedeutet und was hilft.</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <source>Layer that failed: %1</source>
        <translation>Versagende Ebene: %1</translation>
    </message>
    <message>
        <source>Layer: %1 · nothing failed</source>
        <translation>Ebene: %1 · nichts ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Ebene</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Was geschah</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>Abhilfe</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Ausgeführt von</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betroffen</translation>
    </message>
    <message>
        <source>Name&apos;s hash</source>
        <translation>Hash des Namens</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
</context>
<context>
    <name>ChangePassword</name>
    <message>
        <source>Change your password</source>
        <translation>Ändern Sie Ihr Passwort</translation>
    </message>
    <message>
        <source>Choose a new password</source>
        <translation>Wählen Sie ein neues Passwort</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Aktuelles Passwort</translation>
    </message>
    <message>
        <source>Temporary or current password</source>
        <translation>Vorläufiges oder aktuelles Passwort</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Neues Passwort</translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation>Neues Passwort wiederholen</translation>
    </message>
    <message>
        <source>Type the new password again.</source>
        <translation>Geben Sie das neue Passwort noch einmal ein.</translation>
    </message>
    <message>
        <source>Changing…</source>
        <translation>Wird geändert …</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>Passwort ändern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Sign out instead</source>
        <translation>Stattdessen abmelden</translation>
    </message>
    <message>
        <source>Cancel, keep the current password</source>
        <translation>Abbrechen, aktuelles Passwort behalten</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Close Gatehouse?</source>
        <translation>Gatehouse schließen?</translation>
    </message>
    <message>
        <source>%1 is signed in. Sign out now, or keep the session and lock the window until you come back.</source>
        <translation>%1 ist angemeldet. Jetzt abmelden oder die Sitzung behalten und das Fenster sperren, bis Sie zurückkommen?</translation>
    </message>
    <message>
        <source>Remember my choice</source>
        <translation>Meine Wahl merken</translation>
    </message>
    <message>
        <source>Keep signed in, locked</source>
        <translation>Angemeldet bleiben, gesperrt</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>CodeField</name>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation>%1 anzeigen</translation>
    </message>
    <message>
        <source>%1 is shown as plain text.</source>
        <translation>%1 wird als Klartext angezeigt.</translation>
    </message>
    <message>
        <source>%1 is hidden.</source>
        <translation>%1 ist verborgen.</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Not possible</source>
        <translation>Nicht möglich</translation>
    </message>
    <message>
        <source>What will happen</source>
        <translation>Was passieren wird</translation>
    </message>
    <message>
        <source>The owner sees it at their next sign-in.</source>
        <translation>Die Inhaberin oder der Inhaber sieht es bei der nächsten Anmeldung.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>Enroll</name>
    <message>
        <source>Set up your authenticator app</source>
        <translation>Authenticator-App einrichten</translation>
    </message>
    <message>
        <source>Save your recovery codes</source>
        <translation>Wiederherstellungscodes sichern</translation>
    </message>
    <message>
        <source>Add a security key</source>
        <translation>Sicherheitsschlüssel hinzufügen</translation>
    </message>
    <message>
        <source>Set up Gatehouse: your second factor</source>
        <translation>Gatehouse einrichten: Ihr zweiter Faktor</translation>
    </message>
    <message>
        <source>Add a second factor</source>
        <translation>Zweiten Faktor hinzufügen</translation>
    </message>
    <message>
        <source>Scan the QR code with an app such as Aegis, FreeOTP or Google Authenticator, then type the code it shows.</source>
        <translation>Scannen Sie den QR-Code mit einer App wie Aegis, FreeOTP oder Google Authenticator und geben Sie dann den angezeigten Code ein.</translation>
    </message>
    <message>
        <source>A new set, shown only now. Your current codes keep working until you type one of these back; Cancel keeps them.</source>
        <translation>Ein neuer Satz, nur jetzt angezeigt. Ihre bisherigen Codes gelten weiter, bis Sie einen der neuen eingeben; „Abbrechen“ behält sie.</translation>
    </message>
    <message>
        <source>These codes are shown only now. Each one signs you in once if you cannot use your authenticator app.</source>
        <translation>Diese Codes werden nur jetzt angezeigt. Jeder meldet Sie einmal an, wenn Sie Ihre Authenticator-App nicht nutzen können.</translation>
    </message>
    <message>
        <source>A FIDO2 security key (such as a YubiKey or Nitrokey) is the strongest second factor: it cannot be phished, and with your password it gives two-step sign-in with a hardware key (AAL3).</source>
        <translation>Ein FIDO2-Sicherheitsschlüssel (etwa ein YubiKey oder Nitrokey) ist der stärkste zweite Faktor: Er lässt sich nicht abfischen, und zusammen mit Ihrem Passwort ergibt er eine zweistufige Anmeldung mit Hardwareschlüssel (AAL3).</translation>
    </message>
    <message>
        <source>Step 2 of 2. Set-up is complete when the first administrator holds a second factor of another kind than the password, so a leaked password alone cannot take over Gatehouse.</source>
        <translation>Schritt 2 von 2. Die Einrichtung ist abgeschlossen, wenn die erste Administratorin oder der erste Administrator einen zweiten Faktor anderer Art als das Passwort hat – so kann ein verratenes Passwort allein Gatehouse nicht übernehmen.</translation>
    </message>
    <message>
        <source>A second factor of another kind than your password protects your account when the password leaks.</source>
        <translation>Ein zweiter Faktor anderer Art als Ihr Passwort schützt Ihr Konto, wenn das Passwort bekannt wird.</translation>
    </message>
    <message>
        <source>Authenticator app</source>
        <translation>Authenticator-App</translation>
    </message>
    <message>
        <source>RECOMMENDED</source>
        <translation>EMPFOHLEN</translation>
    </message>
    <message>
        <source>Something you have: a 6-digit code from an app on your phone, new every 30 seconds.</source>
        <translation>Etwas, das Sie besitzen: ein 6-stelliger Code aus einer App auf Ihrem Telefon, alle 30 Sekunden neu.</translation>
    </message>
    <message>
        <source>Recovery codes</source>
        <translation>Wiederherstellungscodes</translation>
    </message>
    <message>
        <source>Ten single-use codes to print or keep in a password manager, for when your phone is lost.</source>
        <translation>Zehn Einmalcodes zum Ausdrucken oder für einen Passwortmanager – für den Fall, dass Ihr Telefon verloren geht.</translation>
    </message>
    <message>
        <source>Security key</source>
        <translation>Sicherheitsschlüssel</translation>
    </message>
    <message>
        <source>STRONGEST</source>
        <translation>AM STÄRKSTEN</translation>
    </message>
    <message>
        <source>Something you have: a FIDO2 key you plug in and touch. It cannot be phished; with a PIN on the key it also knows it is you.</source>
        <translation>Etwas, das Sie besitzen: ein FIDO2-Schlüssel, den Sie einstecken und berühren. Er lässt sich nicht abfischen; mit einer PIN auf dem Schlüssel weiß er auch, dass Sie es sind.</translation>
    </message>
    <message>
        <source>QR code for your authenticator app</source>
        <translation>QR-Code für Ihre Authenticator-App</translation>
    </message>
    <message>
        <source>Scan it with the app&apos;s camera, or type the key shown next to it.</source>
        <translation>Scannen Sie ihn mit der Kamera der App oder geben Sie den daneben angezeigten Schlüssel ein.</translation>
    </message>
    <message>
        <source>Can&apos;t scan it? Add an account by hand with this key:</source>
        <translation>Scannen klappt nicht? Fügen Sie ein Konto von Hand mit diesem Schlüssel hinzu:</translation>
    </message>
    <message>
        <source>Manual key, in groups of four characters</source>
        <translation>Schlüssel zur Eingabe von Hand, in Vierergruppen</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Codes</source>
        <translation>Codes</translation>
    </message>
    <message>
        <source>%1 · %2 digits · every %3 s</source>
        <translation>%1 · %2 Stellen · alle %3 s</translation>
    </message>
    <message>
        <source>Code shown in the app</source>
        <translation>In der App angezeigter Code</translation>
    </message>
    <message>
        <source>Finish before %1; after that, start again.</source>
        <translation>Schließen Sie vor %1 ab; danach beginnen Sie neu.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft …</translation>
    </message>
    <message>
        <source>Confirm and turn on</source>
        <translation>Bestätigen und einschalten</translation>
    </message>
    <message>
        <source>Recovery code %1</source>
        <translation>Wiederherstellungscode %1</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the codes to the clipboard</source>
        <translation>Die Codes in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Save to file…</source>
        <translation>In Datei speichern …</translation>
    </message>
    <message>
        <source>Save the codes to a file</source>
        <translation>Die Codes in einer Datei speichern</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Drucken …</translation>
    </message>
    <message>
        <source>Print the codes</source>
        <translation>Die Codes drucken</translation>
    </message>
    <message>
        <source>Opens the codes as a PDF page in your viewer, to print from there.</source>
        <translation>Öffnet die Codes als PDF-Seite in Ihrem Betrachter, um sie von dort zu drucken.</translation>
    </message>
    <message>
        <source>To check you have kept them, type any one of the codes</source>
        <translation>Geben Sie zur Kontrolle, dass Sie sie aufbewahrt haben, einen beliebigen der Codes ein</translation>
    </message>
    <message>
        <source>I have saved them</source>
        <translation>Ich habe sie gesichert</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Set up recovery codes too</source>
        <translation>Auch Wiederherstellungscodes einrichten</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Finish set-up later</source>
        <translation>Einrichtung später abschließen</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Save recovery codes</source>
        <translation>Wiederherstellungscodes speichern</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Textdateien (*.txt)</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Create the first administrator</source>
        <translation>Erste Administratorin oder ersten Administrator anlegen</translation>
    </message>
    <message>
        <source>Set up Gatehouse</source>
        <translation>Gatehouse einrichten</translation>
    </message>
    <message>
        <source>The vault is ready but has no accounts yet. Gatehouse has no default accounts.</source>
        <translation>Der Tresor ist bereit, hat aber noch keine Konten. Gatehouse hat keine voreingestellten Konten.</translation>
    </message>
    <message>
        <source>Step 1 of 2: create the encrypted vault and its first administrator. Gatehouse has no default accounts. Step 2 adds the administrator&apos;s second factor.</source>
        <translation>Schritt 1 von 2: Legen Sie den verschlüsselten Tresor und seine erste Administratorin oder seinen ersten Administrator an. Gatehouse hat keine voreingestellten Konten. Schritt 2 fügt den zweiten Faktor dieses Kontos hinzu.</translation>
    </message>
    <message>
        <source>Vault</source>
        <translation>Tresor</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Key kept in</source>
        <translation>Schlüssel liegt in</translation>
    </message>
    <message>
        <source>No system keychain answered, so the vault key will be derived from a passphrase (Argon2id). Only its salt is stored beside the vault. Without the passphrase the vault cannot be opened, so keep it safe.</source>
        <translation>Kein Systemschlüsselbund hat geantwortet, daher wird der Tresorschlüssel aus einer Passphrase abgeleitet (Argon2id). Nur ihr Salt wird neben dem Tresor gespeichert. Ohne die Passphrase lässt sich der Tresor nicht öffnen – bewahren Sie sie sicher auf.</translation>
    </message>
    <message>
        <source>About the vault passphrase</source>
        <translation>Zur Tresor-Passphrase</translation>
    </message>
    <message>
        <source>Vault passphrase</source>
        <translation>Tresor-Passphrase</translation>
    </message>
    <message>
        <source>It protects the vault key. Keep it safe.</source>
        <translation>Sie schützt den Tresorschlüssel. Bewahren Sie sie sicher auf.</translation>
    </message>
    <message>
        <source>Repeat the vault passphrase</source>
        <translation>Tresor-Passphrase wiederholen</translation>
    </message>
    <message>
        <source>Type the vault passphrase again.</source>
        <translation>Geben Sie die Tresor-Passphrase noch einmal ein.</translation>
    </message>
    <message>
        <source>First administrator</source>
        <translation>Erstes Administratorkonto</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Letters, digits and . _ - (kept in lower case).</source>
        <translation>Buchstaben, Ziffern und . _ - (wird kleingeschrieben gespeichert).</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Passwort wiederholen</translation>
    </message>
    <message>
        <source>Type the password again.</source>
        <translation>Geben Sie das Passwort noch einmal ein.</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Wird angelegt …</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>Administratorkonto anlegen</translation>
    </message>
    <message>
        <source>Create vault and administrator</source>
        <translation>Tresor und Administratorkonto anlegen</translation>
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message>
        <source>Health by layer</source>
        <translation>Zustand nach Ebene</translation>
    </message>
    <message>
        <source>Checking the health of each layer</source>
        <translation>Der Zustand jeder Ebene wird geprüft</translation>
    </message>
    <message>
        <source>Audit log ›</source>
        <translation>Prüfprotokoll ›</translation>
    </message>
    <message>
        <source>Open the audit log from the health summary</source>
        <translation>Das Prüfprotokoll aus der Zustandsübersicht öffnen</translation>
    </message>
    <message>
        <source>Warning in %1</source>
        <translation>Warnung in %1</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Help</source>
        <translation>Hilfe</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Strg+1</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Strg+2</translation>
    </message>
    <message>
        <source>My security</source>
        <translation>Meine Sicherheit</translation>
    </message>
    <message>
        <source>Ctrl+3</source>
        <translation>Strg+3</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Ctrl+4</source>
        <translation>Strg+4</translation>
    </message>
    <message>
        <source>People (when your role allows)</source>
        <translation>Personen (wenn Ihre Rolle es erlaubt)</translation>
    </message>
    <message>
        <source>Ctrl+5</source>
        <translation>Strg+5</translation>
    </message>
    <message>
        <source>Roles (when your role allows)</source>
        <translation>Rollen (wenn Ihre Rolle es erlaubt)</translation>
    </message>
    <message>
        <source>Ctrl+6</source>
        <translation>Strg+6</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Close a dialog, otherwise back to Home</source>
        <translation>Einen Dialog schließen, sonst zurück zur Übersicht</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Strg+L</translation>
    </message>
    <message>
        <source>Lock the window; the session stays signed in</source>
        <translation>Das Fenster sperren; die Sitzung bleibt angemeldet</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>This list</source>
        <translation>Diese Liste</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Strg+Q</translation>
    </message>
    <message>
        <source>Quit (signs out)</source>
        <translation>Beenden (meldet ab)</translation>
    </message>
    <message>
        <source>Tab, Shift+Tab</source>
        <translation>Tab, Umschalt+Tab</translation>
    </message>
    <message>
        <source>Next and previous control</source>
        <translation>Nächstes und vorheriges Bedienelement</translation>
    </message>
    <message>
        <source>Space, Enter</source>
        <translation>Leertaste, Eingabe</translation>
    </message>
    <message>
        <source>Press the focused button</source>
        <translation>Die fokussierte Schaltfläche drücken</translation>
    </message>
    <message>
        <source>Scroll the list</source>
        <translation>Durch die Liste blättern</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>About Gatehouse</source>
        <translation>Über Gatehouse</translation>
    </message>
    <message>
        <source>Gatehouse keeps local accounts in an encrypted vault, checks who signs in, and records every step in a tamper-evident audit log.</source>
        <translation>Gatehouse verwahrt lokale Konten in einem verschlüsselten Tresor, prüft, wer sich anmeldet, und hält jeden Schritt in einem manipulationssicheren Prüfprotokoll fest.</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Built with Qt %1</source>
        <translation>Erstellt mit Qt %1</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <source>Not yet chosen (see README)</source>
        <translation>Noch nicht gewählt (siehe README)</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>Links</translation>
    </message>
    <message>
        <source>The gatehousectl manual</source>
        <translation>Das Handbuch zu gatehousectl</translation>
    </message>
    <message>
        <source>The README in the source tree explains every screen and command.</source>
        <translation>Die README im Quellbaum erklärt jede Ansicht und jeden Befehl.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>Home</name>
    <message>
        <source>You are signed in</source>
        <translation>Sie sind angemeldet</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>Angemeldet als</translation>
    </message>
    <message>
        <source>Role: %1</source>
        <translation>Rolle: %1</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>This session</source>
        <translation>Diese Sitzung</translation>
    </message>
    <message>
        <source>Verified by</source>
        <translation>Bestätigt durch</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Anmeldung</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Session ID</source>
        <translation>Sitzungs-ID</translation>
    </message>
    <message>
        <source>Vault</source>
        <translation>Tresor</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Key kept in</source>
        <translation>Schlüssel liegt in</translation>
    </message>
    <message>
        <source>Only a password protects this account. Add an authenticator app in My security.</source>
        <translation>Nur ein Passwort schützt dieses Konto. Fügen Sie unter „Meine Sicherheit“ eine Authenticator-App hinzu.</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Gatehouse is locked</source>
        <translation>Gatehouse ist gesperrt</translation>
    </message>
    <message>
        <source>%1 is still signed in. Enter your password%2 to continue.</source>
        <translation>%1 ist noch angemeldet. Geben Sie Ihr Passwort%2 ein, um fortzufahren.</translation>
    </message>
    <message>
        <source> and a code from your authenticator app</source>
        <translation> und einen Code aus Ihrer Authenticator-App</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>Angemeldet als</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>The password of the account you are signed in with.</source>
        <translation>Das Passwort des Kontos, mit dem Sie angemeldet sind.</translation>
    </message>
    <message>
        <source>Second factor code</source>
        <translation>Code des zweiten Faktors</translation>
    </message>
    <message>
        <source>The 6-digit code your authenticator app shows now, or one of your recovery codes.</source>
        <translation>Der 6-stellige Code, den Ihre Authenticator-App gerade anzeigt, oder einer Ihrer Wiederherstellungscodes.</translation>
    </message>
    <message>
        <source>Authenticator or recovery code</source>
        <translation>Authenticator- oder Wiederherstellungscode</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <source>Sign out instead</source>
        <translation>Stattdessen abmelden</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Waiting for the keyring&apos;s password prompt…</source>
        <translation>Warten auf die Passwortabfrage des Schlüsselbunds …</translation>
    </message>
    <message>
        <source>Opening the vault…</source>
        <translation>Der Tresor wird geöffnet …</translation>
    </message>
    <message>
        <source>Use your Gatehouse account.</source>
        <translation>Melden Sie sich mit Ihrem Gatehouse-Konto an.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Try opening the vault again</source>
        <translation>Erneut versuchen, den Tresor zu öffnen</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Sign-in is paused. You can try again in %1.</source>
        <translation>Die Anmeldung ist pausiert. Sie können es in %1 erneut versuchen.</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Countdown</source>
        <translation>Countdown</translation>
    </message>
    <message>
        <source>A security key that asks for its PIN or your fingerprint still signs you in, without the password.</source>
        <translation>Ein Sicherheitsschlüssel, der nach seiner PIN oder Ihrem Fingerabdruck fragt, meldet Sie weiterhin an – ohne Passwort.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft …</translation>
    </message>
    <message>
        <source>Sign in with a security key</source>
        <translation>Mit Sicherheitsschlüssel anmelden</translation>
    </message>
    <message>
        <source>Sign in without the password, with a security key that asks for its PIN or your fingerprint</source>
        <translation>Ohne Passwort anmelden, mit einem Sicherheitsschlüssel, der nach seiner PIN oder Ihrem Fingerabdruck fragt</translation>
    </message>
    <message>
        <source>Vault: %1</source>
        <translation>Tresor: %1</translation>
    </message>
    <message>
        <source>Vault location</source>
        <translation>Ort des Tresors</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>%1 — %2 — Gatehouse</source>
        <translation>%1 — %2 — Gatehouse</translation>
    </message>
    <message>
        <source>%1 — Gatehouse</source>
        <translation>%1 — Gatehouse</translation>
    </message>
    <message>
        <source>Gatehouse</source>
        <translation>Gatehouse</translation>
    </message>
    <message>
        <source>Identity and sessions</source>
        <translation>Identität und Sitzungen</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Use the light palette</source>
        <translation>Helle Farben verwenden</translation>
    </message>
    <message>
        <source>Use the dark palette</source>
        <translation>Dunkle Farben verwenden</translation>
    </message>
    <message>
        <source>Idle warning</source>
        <translation>Warnung bei Untätigkeit</translation>
    </message>
    <message>
        <source>Waiting for the keyring&apos;s password prompt… Answer it in its own window.</source>
        <translation>Warten auf die Passwortabfrage des Schlüsselbunds … Beantworten Sie sie in ihrem eigenen Fenster.</translation>
    </message>
</context>
<context>
    <name>MatchFeedback</name>
    <message>
        <source>Both entries match.</source>
        <translation>Beide Eingaben stimmen überein.</translation>
    </message>
    <message>
        <source>The entries do not match yet.</source>
        <translation>Die Eingaben stimmen noch nicht überein.</translation>
    </message>
    <message>
        <source>Repeat check</source>
        <translation>Abgleich der Wiederholung</translation>
    </message>
</context>
<context>
    <name>MessageBox</name>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicherung</translation>
    </message>
    <message>
        <source>Sign-in checks</source>
        <translation>Anmeldeprüfung</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <source>Error in %1</source>
        <translation>Fehler in %1</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
</context>
<context>
    <name>NavButton</name>
    <message>
        <source>Current section</source>
        <translation>Aktueller Bereich</translation>
    </message>
</context>
<context>
    <name>PasswordField</name>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation>%1 anzeigen</translation>
    </message>
    <message>
        <source>%1 is shown as plain text.</source>
        <translation>%1 wird als Klartext angezeigt.</translation>
    </message>
    <message>
        <source>%1 is hidden.</source>
        <translation>%1 ist verborgen.</translation>
    </message>
</context>
<context>
    <name>People</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>Every account, its state, second factors, roles and sessions. You see the actions your roles allow; Gatehouse checks each one again.</source>
        <translation>Jedes Konto mit Zustand, zweiten Faktoren, Rollen und Sitzungen. Sie sehen die Aktionen, die Ihre Rollen erlauben; Gatehouse prüft jede noch einmal.</translation>
    </message>
    <message>
        <source>Temporary password for %1</source>
        <translation>Vorläufiges Passwort für %1</translation>
    </message>
    <message>
        <source>About the temporary password</source>
        <translation>Zum vorläufigen Passwort</translation>
    </message>
    <message>
        <source>Temporary password</source>
        <translation>Vorläufiges Passwort</translation>
    </message>
    <message>
        <source>Valid until %1 (72 hours), once. It is shown only now.</source>
        <translation>Gültig bis %1 (72 Stunden), einmal. Es wird nur jetzt angezeigt.</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>Gültig bis</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy the temporary password</source>
        <translation>Das vorläufige Passwort kopieren</translation>
    </message>
    <message>
        <source>The clipboard is cleared after 30 seconds if it still holds it.</source>
        <translation>Die Zwischenablage wird nach 30 Sekunden geleert, falls sie es dann noch enthält.</translation>
    </message>
    <message>
        <source>I have handed it over</source>
        <translation>Ich habe es übergeben</translation>
    </message>
    <message>
        <source>Hide the temporary password</source>
        <translation>Das vorläufige Passwort verbergen</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Name, role or state</source>
        <translation>Name, Rolle oder Zustand</translation>
    </message>
    <message>
        <source>Add a person…</source>
        <translation>Person hinzufügen …</translation>
    </message>
    <message>
        <source>Add a person</source>
        <translation>Person hinzufügen</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>e.g. carol</source>
        <translation>z. B. carol</translation>
    </message>
    <message>
        <source>Will be added as “%1”.</source>
        <translation>Wird als „%1“ hinzugefügt.</translation>
    </message>
    <message>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;; upper case is folded to lower case.</source>
        <translation>Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;; Großbuchstaben werden kleingeschrieben.</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>keine Rolle</translation>
    </message>
    <message>
        <source>Role of the new account</source>
        <translation>Rolle des neuen Kontos</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Add the account</source>
        <translation>Das Konto hinzufügen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel adding</source>
        <translation>Hinzufügen abbrechen</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln account(s)</source>
        <translation>
            <numerusform>%1 von %Ln Konto</numerusform>
            <numerusform>%1 von %Ln Konten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln account(s)</source>
        <translation>
            <numerusform>%Ln Konto</numerusform>
            <numerusform>%Ln Konten</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Wird geladen</translation>
    </message>
    <message>
        <source>Nobody matches “%1”.</source>
        <translation>Niemand passt zu „%1“.</translation>
    </message>
    <message>
        <source> (you)</source>
        <translation> (Sie)</translation>
    </message>
    <message>
        <source>State of %1</source>
        <translation>Zustand von %1</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>Second factors</source>
        <translation>Zweite Faktoren</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Letzte Anmeldung</translation>
    </message>
    <message>
        <source>Open sessions</source>
        <translation>Offene Sitzungen</translation>
    </message>
    <message>
        <source>Remove %1…</source>
        <translation>%1 entfernen …</translation>
    </message>
    <message>
        <source>Remove a factor</source>
        <translation>Einen Faktor entfernen</translation>
    </message>
    <message>
        <source>Remove it</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Reason (e.g. lost phone)</source>
        <translation>Grund (z. B. Telefon verloren)</translation>
    </message>
    <message>
        <source>Remove %1 of %2</source>
        <translation>%1 von %2 entfernen</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <source>Unlock %1</source>
        <translation>%1 entsperren</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Aktivieren</translation>
    </message>
    <message>
        <source>Enable %1</source>
        <translation>%1 aktivieren</translation>
    </message>
    <message>
        <source>Disable…</source>
        <translation>Deaktivieren …</translation>
    </message>
    <message>
        <source>Disable an account</source>
        <translation>Ein Konto deaktivieren</translation>
    </message>
    <message>
        <source>Disable %1</source>
        <translation>%1 deaktivieren</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Passwort zurücksetzen …</translation>
    </message>
    <message>
        <source>Reset a password</source>
        <translation>Ein Passwort zurücksetzen</translation>
    </message>
    <message>
        <source>Reset the password</source>
        <translation>Das Passwort zurücksetzen</translation>
    </message>
    <message>
        <source>Reset the password of %1</source>
        <translation>Das Passwort von %1 zurücksetzen</translation>
    </message>
    <message>
        <source>End sessions…</source>
        <translation>Sitzungen beenden …</translation>
    </message>
    <message>
        <source>End sessions</source>
        <translation>Sitzungen beenden</translation>
    </message>
    <message>
        <source>End them</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>End the open sessions of %1</source>
        <translation>Die offenen Sitzungen von %1 beenden</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen …</translation>
    </message>
    <message>
        <source>Delete an account</source>
        <translation>Ein Konto löschen</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message>
        <source>Delete the account %1</source>
        <translation>Das Konto %1 löschen</translation>
    </message>
</context>
<context>
    <name>PolicyFeedback</name>
    <message>
        <source>%1 / %2 characters</source>
        <translation>%1 / %2 Zeichen</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Länge</translation>
    </message>
    <message>
        <source>Password policy</source>
        <translation>Passwortregeln</translation>
    </message>
</context>
<context>
    <name>PrimaryButton</name>
    <message>
        <source>Working, please wait</source>
        <translation>In Arbeit, bitte warten</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>What each account may do. Changes apply at once, also to sessions that are open now.</source>
        <translation>Was jedes Konto darf. Änderungen gelten sofort, auch für gerade offene Sitzungen.</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Wird geladen</translation>
    </message>
    <message>
        <source> (disabled)</source>
        <translation> (deaktiviert)</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>keine Rolle</translation>
    </message>
    <message>
        <source>Role %1</source>
        <translation>Rolle %1</translation>
    </message>
    <message>
        <source>held by %1</source>
        <translation>vergeben an %1</translation>
    </message>
    <message>
        <source>Remove a role</source>
        <translation>Eine Rolle entziehen</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message>
        <source>Remove the role %1 from %2</source>
        <translation>%2 die Rolle %1 entziehen</translation>
    </message>
    <message>
        <source>Choose a role…</source>
        <translation>Rolle wählen …</translation>
    </message>
    <message>
        <source>Role to give %1</source>
        <translation>Rolle für %1</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Zuweisen</translation>
    </message>
    <message>
        <source>Give %1 the chosen role</source>
        <translation>%1 die gewählte Rolle geben</translation>
    </message>
    <message>
        <source>Give %1 the role %2</source>
        <translation>%1 die Rolle %2 geben</translation>
    </message>
    <message>
        <source>Roles and permissions</source>
        <translation>Rollen und Berechtigungen</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>eingebaut</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>eigene</translation>
    </message>
    <message>
        <source>1 account</source>
        <translation>1 Konto</translation>
    </message>
    <message>
        <source>%1 accounts</source>
        <translation>%1 Konten</translation>
    </message>
    <message>
        <source>Permissions of %1</source>
        <translation>Berechtigungen von %1</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Edit the role %1</source>
        <translation>Die Rolle %1 bearbeiten</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Delete a role</source>
        <translation>Eine Rolle löschen</translation>
    </message>
    <message>
        <source>Delete the role %1? Nobody holds it.</source>
        <translation>Die Rolle %1 löschen? Niemand hat sie.</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message>
        <source>Delete the role %1</source>
        <translation>Die Rolle %1 löschen</translation>
    </message>
    <message>
        <source>Edit custom role %1</source>
        <translation>Eigene Rolle %1 bearbeiten</translation>
    </message>
    <message>
        <source>New custom role</source>
        <translation>Neue eigene Rolle</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>e.g. auditor</source>
        <translation>z. B. auditor</translation>
    </message>
    <message>
        <source>Lower-case letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>Kleinbuchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;.</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Permissions (you can grant only those you hold yourself)</source>
        <translation>Berechtigungen (Sie können nur solche vergeben, die Sie selbst haben)</translation>
    </message>
    <message>
        <source>Save role</source>
        <translation>Rolle speichern</translation>
    </message>
    <message>
        <source>Create role</source>
        <translation>Rolle anlegen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Clear the form</source>
        <translation>Das Formular leeren</translation>
    </message>
    <message>
        <source>You do not hold %1, so you cannot grant it.</source>
        <translation>Sie haben %1 nicht und können es daher nicht vergeben.</translation>
    </message>
    <message numerus="yes">
        <source>Delete the role %1? The %Ln account(s) holding it lose what it allows at once.</source>
        <translation>
            <numerusform>Die Rolle %1 löschen? Das Konto mit dieser Rolle verliert sofort, was sie erlaubt.</numerusform>
            <numerusform>Die Rolle %1 löschen? Die %Ln Konten mit dieser Rolle verlieren sofort, was sie erlaubt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScreenPage</name>
    <message>
        <source>Scroll the page</source>
        <translation>Durch die Seite blättern</translation>
    </message>
</context>
<context>
    <name>SecondFactor</name>
    <message>
        <source>Sign in with a security key</source>
        <translation>Mit Sicherheitsschlüssel anmelden</translation>
    </message>
    <message>
        <source>Second step</source>
        <translation>Zweiter Schritt</translation>
    </message>
    <message>
        <source>Signing in as %1 without the password. Your key asks for its PIN or your fingerprint, then for a touch.</source>
        <translation>Anmeldung als %1 ohne Passwort. Ihr Schlüssel fragt nach seiner PIN oder Ihrem Fingerabdruck, dann nach einer Berührung.</translation>
    </message>
    <message>
        <source>The password for %1 is right. Now confirm it is you with your second factor.</source>
        <translation>Das Passwort für %1 stimmt. Bestätigen Sie jetzt mit Ihrem zweiten Faktor, dass Sie es sind.</translation>
    </message>
    <message>
        <source>Code from your authenticator app</source>
        <translation>Code aus Ihrer Authenticator-App</translation>
    </message>
    <message>
        <source>Open the app and type the 6- or 8-digit code it shows for Gatehouse. Press Enter to verify.</source>
        <translation>Öffnen Sie die App und geben Sie den 6- oder 8-stelligen Code ein, den sie für Gatehouse anzeigt. Drücken Sie die Eingabetaste zum Prüfen.</translation>
    </message>
    <message>
        <source>Recovery code</source>
        <translation>Wiederherstellungscode</translation>
    </message>
    <message>
        <source>One of the codes you saved when you set up recovery codes. Each code works once.</source>
        <translation>Einer der Codes, die Sie beim Einrichten der Wiederherstellungscodes gesichert haben. Jeder Code gilt einmal.</translation>
    </message>
    <message>
        <source>Use a code from your authenticator app instead</source>
        <translation>Stattdessen einen Code aus Ihrer Authenticator-App verwenden</translation>
    </message>
    <message>
        <source>Lost your phone? Use a recovery code</source>
        <translation>Telefon verloren? Einen Wiederherstellungscode verwenden</translation>
    </message>
    <message>
        <source>No key with you? Use a recovery code</source>
        <translation>Schlüssel nicht dabei? Einen Wiederherstellungscode verwenden</translation>
    </message>
    <message>
        <source>Use your security key instead</source>
        <translation>Stattdessen Ihren Sicherheitsschlüssel verwenden</translation>
    </message>
    <message>
        <source>Sign-in is paused. You can try again in %1.</source>
        <translation>Die Anmeldung ist pausiert. Sie können es in %1 erneut versuchen.</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Countdown</source>
        <translation>Countdown</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>Wird geprüft …</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Cancel and sign in again</source>
        <translation>Abbrechen und neu anmelden</translation>
    </message>
</context>
<context>
    <name>SecretInput</name>
    <message>
        <source>Shown as plain text.</source>
        <translation>Als Klartext angezeigt.</translation>
    </message>
    <message>
        <source>Hidden.</source>
        <translation>Verborgen.</translation>
    </message>
</context>
<context>
    <name>Security</name>
    <message>
        <source>My security</source>
        <translation>Meine Sicherheit</translation>
    </message>
    <message>
        <source>The factors that protect %1&apos;s account. Sign-in needs your password and, once you have one, a second factor of another kind.</source>
        <translation>Die Faktoren, die das Konto von %1 schützen. Die Anmeldung braucht Ihr Passwort und, sobald Sie einen haben, einen zweiten Faktor anderer Art.</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Anmeldung</translation>
    </message>
    <message>
        <source>Factors</source>
        <translation>Faktoren</translation>
    </message>
    <message>
        <source>Category of %1</source>
        <translation>Art von %1</translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation>Hinzugefügt %1</translation>
    </message>
    <message>
        <source>last used %1</source>
        <translation>zuletzt verwendet %1</translation>
    </message>
    <message>
        <source>Details of %1</source>
        <translation>Details zu %1</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>Rename %1</source>
        <translation>%1 umbenennen</translation>
    </message>
    <message>
        <source>New codes</source>
        <translation>Neue Codes</translation>
    </message>
    <message>
        <source>Make a new set of recovery codes</source>
        <translation>Einen neuen Satz Wiederherstellungscodes erzeugen</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Entfernen …</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message>
        <source>New name for %1</source>
        <translation>Neuer Name für %1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Save the new name</source>
        <translation>Den neuen Namen speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel renaming</source>
        <translation>Umbenennen abbrechen</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>Ihr Passwort</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Cancel removing</source>
        <translation>Entfernen abbrechen</translation>
    </message>
    <message>
        <source>Add a factor</source>
        <translation>Einen Faktor hinzufügen</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>Passwort ändern</translation>
    </message>
    <message>
        <source>Change your password</source>
        <translation>Ändern Sie Ihr Passwort</translation>
    </message>
    <message>
        <source>Set up recovery codes</source>
        <translation>Wiederherstellungscodes einrichten</translation>
    </message>
</context>
<context>
    <name>SecurityKeyPanel</name>
    <message>
        <source>Register this key</source>
        <translation>Diesen Schlüssel registrieren</translation>
    </message>
    <message>
        <source>Use security key</source>
        <translation>Sicherheitsschlüssel verwenden</translation>
    </message>
    <message>
        <source>Looking for a security key</source>
        <translation>Suche nach einem Sicherheitsschlüssel</translation>
    </message>
    <message>
        <source>No security key found. Insert your key into a USB port (or hold it to the NFC reader); it shows up here by itself.</source>
        <translation>Kein Sicherheitsschlüssel gefunden. Stecken Sie Ihren Schlüssel in einen USB-Anschluss (oder halten Sie ihn an das NFC-Lesegerät); er erscheint dann hier von selbst.</translation>
    </message>
    <message>
        <source>Security key</source>
        <translation>Sicherheitsschlüssel</translation>
    </message>
    <message>
        <source>Security key to use</source>
        <translation>Zu verwendender Sicherheitsschlüssel</translation>
    </message>
    <message>
        <source>Name the key, press Register, then touch the key when it blinks.</source>
        <translation>Benennen Sie den Schlüssel, drücken Sie „Registrieren“ und berühren Sie den Schlüssel, wenn er blinkt.</translation>
    </message>
    <message>
        <source>Press the button below, then touch your key when it blinks.</source>
        <translation>Drücken Sie die Schaltfläche unten und berühren Sie Ihren Schlüssel, wenn er blinkt.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>e.g. Blue key on my keyring</source>
        <translation>z. B. Blauer Schlüssel am Schlüsselbund</translation>
    </message>
    <message>
        <source>So you can tell your keys apart in My security.</source>
        <translation>Damit Sie Ihre Schlüssel unter „Meine Sicherheit“ auseinanderhalten können.</translation>
    </message>
    <message>
        <source>PIN of the security key</source>
        <translation>PIN des Sicherheitsschlüssels</translation>
    </message>
    <message>
        <source>The PIN you set on the key itself. It goes to the key only and is never stored.</source>
        <translation>Die PIN, die Sie auf dem Schlüssel selbst festgelegt haben. Sie geht nur an den Schlüssel und wird nie gespeichert.</translation>
    </message>
    <message>
        <source>Waiting for the security key</source>
        <translation>Warten auf den Sicherheitsschlüssel</translation>
    </message>
    <message>
        <source>Touch your security key now. It blinks while it waits (up to 30 seconds).</source>
        <translation>Berühren Sie jetzt Ihren Sicherheitsschlüssel. Er blinkt, solange er wartet (bis zu 30 Sekunden).</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel waiting for the security key</source>
        <translation>Warten auf den Sicherheitsschlüssel abbrechen</translation>
    </message>
    <message>
        <source>Waiting for your touch…</source>
        <translation>Warten auf Ihre Berührung …</translation>
    </message>
    <message>
        <source>The key is registered for this vault only.</source>
        <translation>Der Schlüssel ist nur für diesen Tresor registriert.</translation>
    </message>
    <message>
        <source>Relying party ID: %1</source>
        <translation>Relying-Party-ID: %1</translation>
    </message>
</context>
<context>
    <name>Sessions</name>
    <message>
        <source>Active sessions</source>
        <translation>Aktive Sitzungen</translation>
    </message>
    <message>
        <source>Every account&apos;s open sessions. Ending one signs out whoever holds it within a second.</source>
        <translation>Die offenen Sitzungen aller Konten. Wer eine beendet, meldet die Person, die sie hält, binnen einer Sekunde ab.</translation>
    </message>
    <message>
        <source>Your open sessions. Ending one signs it out within a second, wherever it is.</source>
        <translation>Ihre offenen Sitzungen. Eine beendete Sitzung wird binnen einer Sekunde abgemeldet, wo immer sie ist.</translation>
    </message>
    <message>
        <source>Confirm it&apos;s you: your last sign-in is more than 5 minutes old. Enter your password%1 to continue.</source>
        <translation>Bestätigen Sie, dass Sie es sind: Ihre letzte Anmeldung ist über 5 Minuten her. Geben Sie Ihr Passwort%1 ein, um fortzufahren.</translation>
    </message>
    <message>
        <source> and a code from your authenticator app</source>
        <translation> und einen Code aus Ihrer Authenticator-App</translation>
    </message>
    <message>
        <source>Confirm it&apos;s you</source>
        <translation>Bestätigen Sie, dass Sie es sind</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Second factor code</source>
        <translation>Code des zweiten Faktors</translation>
    </message>
    <message>
        <source>Authenticator or recovery code</source>
        <translation>Authenticator- oder Wiederherstellungscode</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Loading sessions</source>
        <translation>Sitzungen werden geladen</translation>
    </message>
    <message>
        <source>This session</source>
        <translation>Diese Sitzung</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>idle time left %1, absolute time left %2, %3, %4</source>
        <translation>verbleibende Ruhezeit %1, verbleibende Gesamtzeit %2, %3, %4</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Sign out of this session</source>
        <translation>Von dieser Sitzung abmelden</translation>
    </message>
    <message>
        <source>End session %1</source>
        <translation>Sitzung %1 beenden</translation>
    </message>
    <message>
        <source>Started %1 · last active %2</source>
        <translation>Begonnen %1 · zuletzt aktiv %2</translation>
    </message>
    <message>
        <source>Idle time left %1 · ends in %2 at the latest</source>
        <translation>Verbleibende Ruhezeit %1 · endet spätestens in %2</translation>
    </message>
    <message>
        <source>%1 · %2 · ID %3</source>
        <translation>%1 · %2 · ID %3</translation>
    </message>
    <message>
        <source>Assurance level %1 (NIST SP 800-63B)</source>
        <translation>Vertrauensniveau %1 (NIST SP 800-63B)</translation>
    </message>
    <message>
        <source>End all my other sessions</source>
        <translation>Alle meine anderen Sitzungen beenden</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Home</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Strg+1</translation>
    </message>
    <message>
        <source>My security</source>
        <translation>Meine Sicherheit</translation>
    </message>
    <message>
        <source>My security: factors, recovery codes</source>
        <translation>Meine Sicherheit: Faktoren, Wiederherstellungscodes</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Strg+2</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Active sessions: see and end your sessions</source>
        <translation>Aktive Sitzungen: Ihre Sitzungen ansehen und beenden</translation>
    </message>
    <message>
        <source>Ctrl+3</source>
        <translation>Strg+3</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>People: accounts, their state, factors and sessions</source>
        <translation>Personen: Konten, ihr Zustand, Faktoren und Sitzungen</translation>
    </message>
    <message>
        <source>Ctrl+4</source>
        <translation>Strg+4</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>Roles: who holds which role, custom roles</source>
        <translation>Rollen: wer welche Rolle hat, eigene Rollen</translation>
    </message>
    <message>
        <source>Ctrl+5</source>
        <translation>Strg+5</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>Audit log: events, diagnosis by layer, chain verification</source>
        <translation>Prüfprotokoll: Ereignisse, Diagnose nach Ebene, Kettenprüfung</translation>
    </message>
    <message>
        <source>Ctrl+6</source>
        <translation>Strg+6</translation>
    </message>
    <message>
        <source>Scroll the sections</source>
        <translation>Durch die Bereiche blättern</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Strg+L</translation>
    </message>
    <message>
        <source>Lock the window</source>
        <translation>Das Fenster sperren</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
</context>
<context>
    <name>Starting</name>
    <message>
        <source>Starting</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Starting Gatehouse…</source>
        <translation>Gatehouse startet …</translation>
    </message>
    <message>
        <source>Gatehouse cannot start</source>
        <translation>Gatehouse kann nicht starten</translation>
    </message>
    <message>
        <source>Accounts and sessions are kept by the Gatehouse service, and it did not answer.</source>
        <translation>Konten und Sitzungen verwaltet der Gatehouse-Dienst, und er hat nicht geantwortet.</translation>
    </message>
    <message>
        <source>Trying…</source>
        <translation>Wird versucht …</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
</context>
<context>
    <name>StepUpDialog</name>
    <message>
        <source>Confirm it&apos;s you</source>
        <translation>Bestätigen Sie, dass Sie es sind</translation>
    </message>
    <message>
        <source>To confirm: %1</source>
        <translation>Zu bestätigen: %1</translation>
    </message>
    <message>
        <source>Action to confirm</source>
        <translation>Zu bestätigende Aktion</translation>
    </message>
    <message>
        <source>Your last sign-in is more than 5 minutes old. Enter your password%1 to continue.</source>
        <translation>Ihre letzte Anmeldung ist über 5 Minuten her. Geben Sie Ihr Passwort%1 ein, um fortzufahren.</translation>
    </message>
    <message>
        <source> and a code from your authenticator app</source>
        <translation> und einen Code aus Ihrer Authenticator-App</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>The password of the account you are signed in with.</source>
        <translation>Das Passwort des Kontos, mit dem Sie angemeldet sind.</translation>
    </message>
    <message>
        <source>Second factor code</source>
        <translation>Code des zweiten Faktors</translation>
    </message>
    <message>
        <source>The 6-digit code your authenticator app shows now, or one of your recovery codes.</source>
        <translation>Der 6-stellige Code, den Ihre Authenticator-App gerade anzeigt, oder einer Ihrer Wiederherstellungscodes.</translation>
    </message>
    <message>
        <source>Authenticator or recovery code</source>
        <translation>Authenticator- oder Wiederherstellungscode</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>Unlock</name>
    <message>
        <source>Unlock the vault</source>
        <translation>Den Tresor entsperren</translation>
    </message>
    <message>
        <source>This vault&apos;s key is derived from its passphrase, because no system keychain was available when it was created.</source>
        <translation>Der Schlüssel dieses Tresors wird aus seiner Passphrase abgeleitet, weil beim Anlegen kein Systemschlüsselbund verfügbar war.</translation>
    </message>
    <message>
        <source>Vault</source>
        <translation>Tresor</translation>
    </message>
    <message>
        <source>Vault passphrase</source>
        <translation>Tresor-Passphrase</translation>
    </message>
    <message>
        <source>Deriving the key…</source>
        <translation>Der Schlüssel wird abgeleitet …</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
</context>
<context>
    <name>gh</name>
    <message>
        <source>No security key found. Insert your key and try again.</source>
        <translation>Kein Sicherheitsschlüssel gefunden. Stecken Sie Ihren Schlüssel ein und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This security key is not registered to this account. Use a key you added.</source>
        <translation>Dieser Sicherheitsschlüssel ist für dieses Konto nicht registriert. Verwenden Sie einen Schlüssel, den Sie hinzugefügt haben.</translation>
    </message>
    <message>
        <source>This security key is already registered.</source>
        <translation>Dieser Sicherheitsschlüssel ist bereits registriert.</translation>
    </message>
    <message>
        <source>This security key needs its PIN. Enter the key&apos;s PIN and try again.</source>
        <translation>Dieser Sicherheitsschlüssel braucht seine PIN. Geben Sie die PIN des Schlüssels ein und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The key&apos;s PIN is wrong.</source>
        <translation>Die PIN des Schlüssels ist falsch.</translation>
    </message>
    <message>
        <source>The key&apos;s PIN is blocked after too many wrong tries. The key must be reset.</source>
        <translation>Die PIN des Schlüssels ist nach zu vielen Fehlversuchen gesperrt. Der Schlüssel muss zurückgesetzt werden.</translation>
    </message>
    <message>
        <source>The key was not touched in time. Try again and touch your key when it blinks.</source>
        <translation>Der Schlüssel wurde nicht rechtzeitig berührt. Versuchen Sie es erneut und berühren Sie Ihren Schlüssel, wenn er blinkt.</translation>
    </message>
    <message>
        <source>The security key refused the request.</source>
        <translation>Der Sicherheitsschlüssel hat die Anfrage abgelehnt.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>The security key was removed. Insert it and try again.</source>
        <translation>Der Sicherheitsschlüssel wurde entfernt. Stecken Sie ihn ein und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The security key&apos;s answer failed verification.</source>
        <translation>Die Antwort des Sicherheitsschlüssels hat die Prüfung nicht bestanden.</translation>
    </message>
    <message>
        <source>This security key was refused: its signature counter went backwards, which can mean the key was cloned. An administrator has been told.</source>
        <translation>Dieser Sicherheitsschlüssel wurde abgewiesen: Sein Signaturzähler ist zurückgegangen, was auf einen geklonten Schlüssel hindeuten kann. Die Administration wurde informiert.</translation>
    </message>
    <message>
        <source>%1 minutes</source>
        <translation>%1 Minuten</translation>
    </message>
    <message>
        <source>1 second</source>
        <translation>1 Sekunde</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 Sekunden</translation>
    </message>
    <message>
        <source>No vault exists at this location. Create one first (gatehousectl init, or the set-up screen).</source>
        <translation>An diesem Ort gibt es keinen Tresor. Legen Sie zuerst einen an (gatehousectl init oder die Einrichtung).</translation>
    </message>
    <message>
        <source>A vault already exists at this location; it was left untouched.</source>
        <translation>An diesem Ort gibt es bereits einen Tresor; er wurde nicht verändert.</translation>
    </message>
    <message>
        <source>The vault key does not open this vault: either the key in the keychain (or the passphrase) is wrong, or the vault&apos;s first page is damaged (or it is not a Gatehouse vault). Nothing was changed. If the key is right, restore the vault from a backup.</source>
        <translation>Der Tresorschlüssel öffnet diesen Tresor nicht: Entweder ist der Schlüssel im Schlüsselbund (oder die Passphrase) falsch, oder die erste Seite des Tresors ist beschädigt (oder es ist kein Gatehouse-Tresor). Nichts wurde verändert. Wenn der Schlüssel stimmt, stellen Sie den Tresor aus einer Sicherung wieder her.</translation>
    </message>
    <message>
        <source>This is not a Gatehouse vault: %1. Nothing was changed.</source>
        <translation>Das ist kein Gatehouse-Tresor: %1. Nichts wurde verändert.</translation>
    </message>
    <message>
        <source>This file is not a Gatehouse vault. Nothing was changed.</source>
        <translation>Diese Datei ist kein Gatehouse-Tresor. Nichts wurde verändert.</translation>
    </message>
    <message>
        <source>The vault file is damaged or truncated. Nothing was changed; restore it from a backup.</source>
        <translation>Die Tresordatei ist beschädigt oder abgeschnitten. Nichts wurde verändert; stellen Sie sie aus einer Sicherung wieder her.</translation>
    </message>
    <message>
        <source>This vault was written by a newer version of Gatehouse. Update Gatehouse to open it; nothing was changed.</source>
        <translation>Dieser Tresor wurde von einer neueren Gatehouse-Version geschrieben. Aktualisieren Sie Gatehouse, um ihn zu öffnen; nichts wurde verändert.</translation>
    </message>
    <message>
        <source>The vault is older than its anti-rollback anchor (%1). Nothing was changed. If you did not restore it on purpose, keep this file as evidence and put the newest vault (with its -wal file) back. If you restored a backup deliberately, accept it as the service&apos;s own user (root in system mode): gatehousectl vault accept-restore (audited).</source>
        <translation>Der Tresor ist älter als sein Anker gegen Zurücksetzen (%1). Nichts wurde verändert. Wenn Sie ihn nicht absichtlich wiederhergestellt haben, bewahren Sie diese Datei als Beweis auf und legen Sie den neuesten Tresor (mit seiner -wal-Datei) zurück. Wenn Sie absichtlich eine Sicherung wiederhergestellt haben, bestätigen Sie das als Benutzer des Dienstes (root im Systemmodus): gatehousectl vault accept-restore (wird protokolliert).</translation>
    </message>
    <message>
        <source>a restored copy, a lost write-ahead log or removed audit events</source>
        <translation>eine wiederhergestellte Kopie, ein verlorenes Write-Ahead-Log oder entfernte Protokollereignisse</translation>
    </message>
    <message>
        <source>The keyring that holds the vault key is locked. Unlock it (log in to the desktop, or unlock it in your keyring manager) and try again.</source>
        <translation>Der Schlüsselbund mit dem Tresorschlüssel ist gesperrt. Entsperren Sie ihn (durch Anmelden am Desktop oder in Ihrer Schlüsselbundverwaltung) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The vault location is read-only. Choose a writable location or fix its permissions.</source>
        <translation>Der Ort des Tresors ist schreibgeschützt. Wählen Sie einen beschreibbaren Ort oder korrigieren Sie die Zugriffsrechte.</translation>
    </message>
    <message>
        <source>The vault could not be read or written (disk full or an I/O error). Nothing was changed.</source>
        <translation>Der Tresor konnte nicht gelesen oder geschrieben werden (Datenträger voll oder E/A-Fehler). Nichts wurde verändert.</translation>
    </message>
    <message>
        <source>The vault is busy in another Gatehouse process. Try again in a moment.</source>
        <translation>Der Tresor wird gerade von einem anderen Gatehouse-Prozess benutzt. Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>The keychain holds no key for this vault. Restore the key entry (see README: break-glass) or use the vault it belongs to.</source>
        <translation>Der Schlüsselbund enthält keinen Schlüssel für diesen Tresor. Stellen Sie den Schlüsseleintrag wieder her (siehe README: Notfallzugang) oder verwenden Sie den Tresor, zu dem er gehört.</translation>
    </message>
    <message>
        <source>No keychain (Secret Service) answered, so the vault key cannot be read. Start a Secret Service provider such as gnome-keyring in this desktop session and try again.</source>
        <translation>Kein Schlüsselbund (Secret Service) hat geantwortet, daher lässt sich der Tresorschlüssel nicht lesen. Starten Sie in dieser Desktopsitzung einen Secret-Service-Anbieter wie gnome-keyring und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This vault is protected by a passphrase. Enter the vault passphrase to open it.</source>
        <translation>Dieser Tresor ist durch eine Passphrase geschützt. Geben Sie die Tresor-Passphrase ein, um ihn zu öffnen.</translation>
    </message>
    <message>
        <source>The Gatehouse service (gatehoused) is not running and could not be started. In system mode ask the administrator to run `systemctl start gatehoused`; in session mode check that gatehoused is installed next to this program.</source>
        <translation>Der Gatehouse-Dienst (gatehoused) läuft nicht und konnte nicht gestartet werden. Im Systemmodus bitten Sie die Administration, `systemctl start gatehoused` auszuführen; im Sitzungsmodus prüfen Sie, ob gatehoused neben diesem Programm installiert ist.</translation>
    </message>
    <message>
        <source>Sign-in failed: unknown username or wrong password.</source>
        <translation>Anmeldung fehlgeschlagen: unbekannter Benutzername oder falsches Passwort.</translation>
    </message>
    <message>
        <source>Too many failed attempts. Try again in %1.</source>
        <translation>Zu viele Fehlversuche. Versuchen Sie es in %1 erneut.</translation>
    </message>
    <message>
        <source>This account is locked after too many failed attempts. Its owner can still sign in with the password and a recovery code, or a security key that checks a PIN or fingerprint; otherwise an administrator must unlock it (gatehousectl user unlock NAME).</source>
        <translation>Dieses Konto ist nach zu vielen Fehlversuchen gesperrt. Die Inhaberin oder der Inhaber kann sich weiterhin mit dem Passwort und einem Wiederherstellungscode anmelden oder mit einem Sicherheitsschlüssel, der eine PIN oder einen Fingerabdruck prüft; sonst muss die Administration es entsperren (gatehousectl user unlock NAME).</translation>
    </message>
    <message>
        <source>This account is disabled. Ask an administrator to enable it.</source>
        <translation>Dieses Konto ist deaktiviert. Bitten Sie die Administration, es zu aktivieren.</translation>
    </message>
    <message>
        <source>The new password does not meet the password policy.</source>
        <translation>Das neue Passwort erfüllt die Passwortregeln nicht.</translation>
    </message>
    <message>
        <source>Your password must be changed before you can continue.</source>
        <translation>Sie müssen Ihr Passwort ändern, bevor Sie fortfahren können.</translation>
    </message>
    <message>
        <source>This account needs a second step: a code from your authenticator app or a recovery code.</source>
        <translation>Dieses Konto braucht einen zweiten Schritt: einen Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode.</translation>
    </message>
    <message>
        <source>That code is not right. Check it and try again.</source>
        <translation>Dieser Code stimmt nicht. Prüfen Sie ihn und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>That code has expired (or your device&apos;s clock is off). Enter the code your app shows now.</source>
        <translation>Dieser Code ist abgelaufen (oder die Uhr Ihres Geräts geht falsch). Geben Sie den Code ein, den Ihre App jetzt anzeigt.</translation>
    </message>
    <message>
        <source>That code was already used. Wait for the next code from your app.</source>
        <translation>Dieser Code wurde bereits verwendet. Warten Sie auf den nächsten Code Ihrer App.</translation>
    </message>
    <message>
        <source>The sign-in took too long and was cancelled. Enter your password again.</source>
        <translation>Die Anmeldung hat zu lange gedauert und wurde abgebrochen. Geben Sie Ihr Passwort erneut ein.</translation>
    </message>
    <message>
        <source>Your session has ended (%1). Sign in again.</source>
        <translation>Ihre Sitzung ist beendet (%1). Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Your session has ended or expired. Sign in again.</source>
        <translation>Ihre Sitzung ist beendet oder abgelaufen. Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Confirm it&apos;s you with your password and your second factor: this session was signed in without it.</source>
        <translation>Bestätigen Sie mit Ihrem Passwort und Ihrem zweiten Faktor, dass Sie es sind: Diese Sitzung wurde ohne ihn angemeldet.</translation>
    </message>
    <message>
        <source>Confirm it&apos;s you: sign in again (your last sign-in is more than 5 minutes old).</source>
        <translation>Bestätigen Sie, dass Sie es sind: Melden Sie sich erneut an (Ihre letzte Anmeldung ist über 5 Minuten her).</translation>
    </message>
    <message>
        <source>The Gatehouse service is busy with too many of your requests at once. Try again in %1.</source>
        <translation>Der Gatehouse-Dienst ist mit zu vielen Ihrer Anfragen gleichzeitig beschäftigt. Versuchen Sie es in %1 erneut.</translation>
    </message>
    <message>
        <source>This account already has as many open sessions as the policy allows. End one (Active sessions, or gatehousectl sessions revoke) and try again.</source>
        <translation>Dieses Konto hat bereits so viele offene Sitzungen, wie die Regeln erlauben. Beenden Sie eine (Aktive Sitzungen oder gatehousectl sessions revoke) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This is the only administrator — make someone else one first.</source>
        <translation>Dies ist das einzige Administratorkonto — machen Sie zuerst jemand anderen zur Administratorin oder zum Administrator.</translation>
    </message>
    <message>
        <source>You do not have permission to do this.</source>
        <translation>Dazu fehlt Ihnen die Berechtigung.</translation>
    </message>
    <message>
        <source>You do not have permission to do this. Reason: %1</source>
        <translation>Dazu fehlt Ihnen die Berechtigung. Grund: %1</translation>
    </message>
    <message>
        <source>Usernames are 1 to 64 characters: letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit.</source>
        <translation>Benutzernamen haben 1 bis 64 Zeichen: Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;, beginnend mit einem Buchstaben oder einer Ziffer.</translation>
    </message>
    <message>
        <source>A user with this name already exists.</source>
        <translation>Es gibt bereits einen Benutzer mit diesem Namen.</translation>
    </message>
    <message>
        <source>No such user.</source>
        <translation>Diesen Benutzer gibt es nicht.</translation>
    </message>
    <message>
        <source>No such factor on this account.</source>
        <translation>Diesen Faktor gibt es bei diesem Konto nicht.</translation>
    </message>
    <message>
        <source>No such factor on this account: %1.</source>
        <translation>Diesen Faktor gibt es bei diesem Konto nicht: %1.</translation>
    </message>
    <message>
        <source>This vault already has an administrator.</source>
        <translation>Dieser Tresor hat bereits ein Administratorkonto.</translation>
    </message>
    <message>
        <source>Invalid argument.</source>
        <translation>Ungültige Angabe.</translation>
    </message>
    <message>
        <source>The cryptographic self-test failed; Gatehouse will not handle secrets on this system.</source>
        <translation>Der kryptografische Selbsttest ist fehlgeschlagen; Gatehouse verarbeitet auf diesem System keine Geheimnisse.</translation>
    </message>
    <message>
        <source>Internal error.</source>
        <translation>Interner Fehler.</translation>
    </message>
    <message>
        <source>Internal error: %1</source>
        <translation>Interner Fehler: %1</translation>
    </message>
</context>
<context>
    <name>gh::ui::AgentModel</name>
    <message>
        <source>Sign in first: the application gets a sign-in of its own from yours.</source>
        <translation>Melden Sie sich zuerst an: Die Anwendung erhält aus Ihrer Anmeldung eine eigene.</translation>
    </message>
    <message>
        <source>Let %1 use your sign-in</source>
        <translation>%1 Ihre Anmeldung nutzen lassen</translation>
    </message>
</context>
<context>
    <name>gh::ui::AppController</name>
    <message>
        <source>Administrator “%1” created. Sign in to continue.</source>
        <translation>Administratorkonto „%1“ angelegt. Melden Sie sich an, um fortzufahren.</translation>
    </message>
    <message>
        <source>This session is still limited to adding a second factor. Set up an authenticator app, or sign out and sign in again with your new factor.</source>
        <translation>Diese Sitzung kann weiterhin nur einen zweiten Faktor hinzufügen. Richten Sie eine Authenticator-App ein oder melden Sie sich ab und mit Ihrem neuen Faktor wieder an.</translation>
    </message>
    <message>
        <source>You have signed out.</source>
        <translation>Sie haben sich abgemeldet.</translation>
    </message>
    <message>
        <source>The Gatehouse service restarted, so every session ended. Sign in again.</source>
        <translation>Der Gatehouse-Dienst wurde neu gestartet, daher sind alle Sitzungen beendet. Melden Sie sich erneut an.</translation>
    </message>
</context>
<context>
    <name>gh::ui::AuditModel</name>
    <message>
        <source>Not verified yet in this session.</source>
        <translation>In dieser Sitzung noch nicht geprüft.</translation>
    </message>
    <message>
        <source>Verifying the chain needs the audit.read permission.</source>
        <translation>Die Prüfung der Kette braucht die Berechtigung audit.read.</translation>
    </message>
    <message>
        <source>Checking every event&apos;s link to the one before…</source>
        <translation>Die Verknüpfung jedes Ereignisses mit dem vorigen wird geprüft …</translation>
    </message>
    <message numerus="yes">
        <source>Chain intact: %Ln event(s), each linked to the one before (checked at %1).</source>
        <translation>
            <numerusform>Kette intakt: %Ln Ereignis, mit dem vorigen verknüpft (geprüft um %1).</numerusform>
            <numerusform>Kette intakt: %Ln Ereignisse, jedes mit dem vorigen verknüpft (geprüft um %1).</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain BROKEN at event %1: %2. Events from there on cannot be trusted (checked at %3).</source>
        <translation>Kette GEBROCHEN bei Ereignis %1: %2. Ab dort sind die Ereignisse nicht vertrauenswürdig (geprüft um %3).</translation>
    </message>
</context>
<context>
    <name>gh::ui::ChangePasswordModel</name>
    <message>
        <source>Type your current password, then the new one twice. Your other sessions end; this one goes on.</source>
        <translation>Geben Sie Ihr aktuelles Passwort ein, dann zweimal das neue. Ihre anderen Sitzungen enden; diese bleibt bestehen.</translation>
    </message>
    <message>
        <source>You signed in with a temporary password. Choose your own password to continue.</source>
        <translation>Sie haben sich mit einem vorläufigen Passwort angemeldet. Wählen Sie ein eigenes Passwort, um fortzufahren.</translation>
    </message>
    <message>
        <source>Change your password</source>
        <translation>Ändern Sie Ihr Passwort</translation>
    </message>
    <message>
        <source>Your password is changed. Your other sessions have ended; sign in there with the new one.</source>
        <translation>Ihr Passwort ist geändert. Ihre anderen Sitzungen sind beendet; melden Sie sich dort mit dem neuen an.</translation>
    </message>
</context>
<context>
    <name>gh::ui::EnrollModel</name>
    <message>
        <source>Security key added</source>
        <translation>Sicherheitsschlüssel hinzugefügt</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is registered. From now on Gatehouse asks you to touch it after your password. Register a second key as a spare, and keep recovery codes in case you lose it.</source>
        <translation>„%1“ ist registriert. Ab jetzt bittet Gatehouse Sie nach dem Passwort, ihn zu berühren. Registrieren Sie einen zweiten Schlüssel als Ersatz und bewahren Sie Wiederherstellungscodes auf, falls Sie ihn verlieren.</translation>
    </message>
    <message>
        <source>Administrators need a second factor. Your account has only a password, so until you add an authenticator app or a security key this session can do nothing else. Set it up now, or sign out and do it later.</source>
        <translation>Administratorkonten brauchen einen zweiten Faktor. Ihr Konto hat nur ein Passwort; bis Sie eine Authenticator-App oder einen Sicherheitsschlüssel hinzufügen, kann diese Sitzung nichts anderes. Richten Sie ihn jetzt ein oder melden Sie sich ab und tun Sie es später.</translation>
    </message>
    <message>
        <source>your password</source>
        <translation>Ihr Passwort</translation>
    </message>
    <message>
        <source>authenticator app, security key, recovery codes</source>
        <translation>Authenticator-App, Sicherheitsschlüssel, Wiederherstellungscodes</translation>
    </message>
    <message>
        <source>a security key with a fingerprint reader</source>
        <translation>ein Sicherheitsschlüssel mit Fingerabdruckleser</translation>
    </message>
    <message>
        <source>Sign-in takes two factors of different kinds.</source>
        <translation>Die Anmeldung braucht zwei Faktoren unterschiedlicher Art.</translation>
    </message>
    <message>
        <source>A password alone: one kind of factor.</source>
        <translation>Nur ein Passwort: eine Art von Faktor.</translation>
    </message>
    <message>
        <source>Authenticator app</source>
        <translation>Authenticator-App</translation>
    </message>
    <message>
        <source>The QR code could not be drawn. Type the key below into your app instead.</source>
        <translation>Der QR-Code konnte nicht gezeichnet werden. Geben Sie stattdessen den Schlüssel unten in Ihre App ein.</translation>
    </message>
    <message>
        <source>%1 The setup took too long; start it again.</source>
        <translation>%1 Die Einrichtung hat zu lange gedauert; beginnen Sie neu.</translation>
    </message>
    <message>
        <source>Authenticator app added</source>
        <translation>Authenticator-App hinzugefügt</translation>
    </message>
    <message>
        <source>From now on Gatehouse asks for a code from the app after your password. Add recovery codes too, in case you lose the phone.</source>
        <translation>Ab jetzt fragt Gatehouse nach dem Passwort nach einem Code aus der App. Fügen Sie auch Wiederherstellungscodes hinzu, falls Sie das Telefon verlieren.</translation>
    </message>
    <message>
        <source>Gatehouse recovery codes</source>
        <translation>Gatehouse-Wiederherstellungscodes</translation>
    </message>
    <message>
        <source>Account: %1</source>
        <translation>Konto: %1</translation>
    </message>
    <message>
        <source>Created: %1</source>
        <translation>Erstellt: %1</translation>
    </message>
    <message>
        <source>Each code signs you in once, in place of your authenticator app.</source>
        <translation>Jeder Code meldet Sie einmal an, anstelle Ihrer Authenticator-App.</translation>
    </message>
    <message>
        <source>Keep this somewhere safe: with your password, a code opens your account.</source>
        <translation>Bewahren Sie dies sicher auf: Zusammen mit Ihrem Passwort öffnet ein Code Ihr Konto.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist. Choose another folder.</source>
        <translation>Den Ordner %1 gibt es nicht. Wählen Sie einen anderen Ordner.</translation>
    </message>
    <message>
        <source>You may not write to %1. Choose a folder of your own, such as your home folder.</source>
        <translation>Sie dürfen nicht nach %1 schreiben. Wählen Sie einen eigenen Ordner, etwa Ihren persönlichen Ordner.</translation>
    </message>
    <message>
        <source>%1 is on a read-only disk. Choose another folder.</source>
        <translation>%1 liegt auf einem schreibgeschützten Datenträger. Wählen Sie einen anderen Ordner.</translation>
    </message>
    <message>
        <source>The disk is full. Free some space or choose another disk.</source>
        <translation>Der Datenträger ist voll. Schaffen Sie Platz oder wählen Sie einen anderen Datenträger.</translation>
    </message>
    <message>
        <source>%1 is a folder. Type a file name.</source>
        <translation>%1 ist ein Ordner. Geben Sie einen Dateinamen ein.</translation>
    </message>
    <message>
        <source>%1 is a link. Choose a plain file name (the codes are never written through a link).</source>
        <translation>%1 ist eine Verknüpfung. Wählen Sie einen einfachen Dateinamen (die Codes werden nie über eine Verknüpfung geschrieben).</translation>
    </message>
    <message>
        <source>The codes could not be saved to %1. Choose another folder.</source>
        <translation>Die Codes konnten nicht in %1 gespeichert werden. Wählen Sie einen anderen Ordner.</translation>
    </message>
    <message>
        <source>Copied. The clipboard is cleared when you leave this step, if it still holds them.</source>
        <translation>Kopiert. Die Zwischenablage wird geleert, wenn Sie diesen Schritt verlassen, falls sie sie dann noch enthält.</translation>
    </message>
    <message>
        <source>The codes could not be written completely to %1 (is the disk full?). Nothing was kept; choose another folder.</source>
        <translation>Die Codes konnten nicht vollständig in %1 geschrieben werden (ist der Datenträger voll?). Nichts wurde behalten; wählen Sie einen anderen Ordner.</translation>
    </message>
    <message>
        <source>Saved to %1 (readable by you only).</source>
        <translation>In %1 gespeichert (nur für Sie lesbar).</translation>
    </message>
    <message>
        <source>Could not prepare the page to print: %1</source>
        <translation>Die Druckseite konnte nicht vorbereitet werden: %1</translation>
    </message>
    <message>
        <source>Each code signs you in once, in place of your authenticator app. Keep this page somewhere safe: with your password, a code opens your account.</source>
        <translation>Jeder Code meldet Sie einmal an, anstelle Ihrer Authenticator-App. Bewahren Sie diese Seite sicher auf: Zusammen mit Ihrem Passwort öffnet ein Code Ihr Konto.</translation>
    </message>
    <message>
        <source>No PDF viewer opened. The printable page is at %1 until you leave this step.</source>
        <translation>Es hat sich kein PDF-Betrachter geöffnet. Die Druckseite liegt unter %1, bis Sie diesen Schritt verlassen.</translation>
    </message>
    <message>
        <source>The codes opened as a PDF page: print it from the viewer. The file is deleted when you leave this step.</source>
        <translation>Die Codes wurden als PDF-Seite geöffnet: Drucken Sie sie aus dem Betrachter. Die Datei wird gelöscht, wenn Sie diesen Schritt verlassen.</translation>
    </message>
    <message>
        <source>That is not one of the codes above. Check the copy you kept and type one code again.</source>
        <translation>Das ist keiner der Codes oben. Prüfen Sie Ihre Kopie und geben Sie erneut einen Code ein.</translation>
    </message>
    <message>
        <source>%1 The new codes expired before one was typed back; your current codes still work. Make a new set again.</source>
        <translation>%1 Die neuen Codes sind abgelaufen, bevor einer eingegeben wurde; Ihre bisherigen Codes gelten weiter. Erzeugen Sie erneut einen neuen Satz.</translation>
    </message>
    <message>
        <source>Recovery codes saved</source>
        <translation>Wiederherstellungscodes gesichert</translation>
    </message>
    <message>
        <source>These codes replace any earlier set. If you cannot use your authenticator app, sign in with your password and one of them. Each works once; make a new set in My security when you run low.</source>
        <translation>Diese Codes ersetzen jeden früheren Satz. Wenn Sie Ihre Authenticator-App nicht nutzen können, melden Sie sich mit Ihrem Passwort und einem davon an. Jeder gilt einmal; erzeugen Sie unter „Meine Sicherheit“ einen neuen Satz, wenn sie knapp werden.</translation>
    </message>
    <message>
        <source>Set-up complete</source>
        <translation>Einrichtung abgeschlossen</translation>
    </message>
    <message>
        <source>%1, the first administrator, now holds a password and a second factor. %2</source>
        <translation>%1, das erste Administratorkonto, hat jetzt ein Passwort und einen zweiten Faktor. %2</translation>
    </message>
    <message>
        <source>Set-up is not complete: %1 has no second factor yet. Sign in as %1 to add one; until then the account can do nothing else.</source>
        <translation>Die Einrichtung ist nicht abgeschlossen: %1 hat noch keinen zweiten Faktor. Melden Sie sich als %1 an, um einen hinzuzufügen; bis dahin kann das Konto nichts anderes.</translation>
    </message>
</context>
<context>
    <name>gh::ui::FirstRunModel</name>
    <message>
        <source>Looking for the system keychain…</source>
        <translation>Der Systemschlüsselbund wird gesucht …</translation>
    </message>
    <message>
        <source>System keychain (Secret Service)</source>
        <translation>Systemschlüsselbund (Secret Service)</translation>
    </message>
    <message>
        <source>A vault passphrase (no system keychain answered)</source>
        <translation>Eine Tresor-Passphrase (kein Systemschlüsselbund hat geantwortet)</translation>
    </message>
</context>
<context>
    <name>gh::ui::HealthModel</name>
    <message>
        <source>My security ›</source>
        <translation>Meine Sicherheit ›</translation>
    </message>
    <message>
        <source>Audit log ›</source>
        <translation>Prüfprotokoll ›</translation>
    </message>
    <message>
        <source>Active sessions ›</source>
        <translation>Aktive Sitzungen ›</translation>
    </message>
    <message>
        <source>Roles ›</source>
        <translation>Rollen ›</translation>
    </message>
    <message>
        <source>People ›</source>
        <translation>Personen ›</translation>
    </message>
    <message>
        <source>NOT encrypted</source>
        <translation>NICHT verschlüsselt</translation>
    </message>
    <message>
        <source>chain broken</source>
        <translation>Kette gebrochen</translation>
    </message>
    <message>
        <source>file readable</source>
        <translation>Datei lesbar</translation>
    </message>
    <message>
        <source>encrypted</source>
        <translation>verschlüsselt</translation>
    </message>
    <message>
        <source>attack</source>
        <translation>Angriff</translation>
    </message>
    <message numerus="yes">
        <source>%n locked</source>
        <translation>
            <numerusform>%n gesperrt</numerusform>
            <numerusform>%n gesperrt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n throttled</source>
        <translation>
            <numerusform>%n gedrosselt</numerusform>
            <numerusform>%n gedrosselt</numerusform>
        </translation>
    </message>
    <message>
        <source>%1/%2 MFA</source>
        <translation>%1/%2 MFA</translation>
    </message>
    <message numerus="yes">
        <source>%n session(s)</source>
        <translation>
            <numerusform>%n Sitzung</numerusform>
            <numerusform>%n Sitzungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n admin(s)</source>
        <translation>
            <numerusform>%n Admin</numerusform>
            <numerusform>%n Admins</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gh::ui::HomeModel</name>
    <message>
        <source>today at %1</source>
        <translation>heute um %1</translation>
    </message>
    <message>
        <source>tomorrow at %1</source>
        <translation>morgen um %1</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>noch %n min</numerusform>
            <numerusform>noch %n min</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h left</source>
        <translation>noch %1 h</translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation>noch %1 h %2 min</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>keine Rolle</translation>
    </message>
    <message>
        <source>%1 — your account holds no second factor now</source>
        <translation>%1 — Ihr Konto hat jetzt keinen zweiten Faktor</translation>
    </message>
    <message>
        <source>%1 — from your next sign-in: %2</source>
        <translation>%1 — ab Ihrer nächsten Anmeldung: %2</translation>
    </message>
    <message>
        <source>%1 — your account reaches %2 at your next sign-in</source>
        <translation>%1 — Ihr Konto erreicht bei der nächsten Anmeldung %2</translation>
    </message>
</context>
<context>
    <name>gh::ui::PeopleModel</name>
    <message numerus="yes">
        <source>%n second factor(s)</source>
        <translation>
            <numerusform>%n zweiter Faktor</numerusform>
            <numerusform>%n zweite Faktoren</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open session(s)</source>
        <translation>
            <numerusform>%n offene Sitzung</numerusform>
            <numerusform>%n offene Sitzungen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>Throttled after wrong passwords · next try in %1</source>
        <translation>Nach falschen Passwörtern gedrosselt · nächster Versuch in %1</translation>
    </message>
    <message numerus="yes">
        <source>%n code(s) left</source>
        <translation>
            <numerusform>noch %n Code</numerusform>
            <numerusform>noch %n Codes</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 “%2” (%3)</source>
        <translation>%1 „%2“ (%3)</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiviert</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <source>Locked after too many failed sign-ins</source>
        <translation>Nach zu vielen fehlgeschlagenen Anmeldungen gesperrt</translation>
    </message>
    <message>
        <source>Enabled · must choose a new password at sign-in</source>
        <translation>Aktiviert · muss bei der Anmeldung ein neues Passwort wählen</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>keine Rolle</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>not shown to you</source>
        <translation>für Sie nicht sichtbar</translation>
    </message>
    <message>
        <source>none (password only)</source>
        <translation>keine (nur Passwort)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Type a username.</source>
        <translation>Geben Sie einen Benutzernamen ein.</translation>
    </message>
    <message>
        <source>Use 1 to 64 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit.</source>
        <translation>Verwenden Sie 1 bis 64 Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;, beginnend mit einem Buchstaben oder einer Ziffer.</translation>
    </message>
    <message>
        <source>%1 already exists.</source>
        <translation>%1 gibt es bereits.</translation>
    </message>
    <message>
        <source>Add the account %1</source>
        <translation>Das Konto %1 hinzufügen</translation>
    </message>
    <message>
        <source>Add the account %1 with the role %2</source>
        <translation>Das Konto %1 mit der Rolle %2 hinzufügen</translation>
    </message>
    <message>
        <source>%1 is added. Hand over this temporary password in person or by another channel; %1 must replace it at the first sign-in.</source>
        <translation>%1 ist hinzugefügt. Übergeben Sie dieses vorläufige Passwort persönlich oder auf einem anderen Weg; %1 muss es bei der ersten Anmeldung ersetzen.</translation>
    </message>
    <message>
        <source>Added %1 with no role.</source>
        <translation>%1 ohne Rolle hinzugefügt.</translation>
    </message>
    <message>
        <source>Added %1 with the role %2.</source>
        <translation>%1 mit der Rolle %2 hinzugefügt.</translation>
    </message>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n seconds if it still holds the password.</source>
        <translation>
            <numerusform>Kopiert. Die Zwischenablage wird in %n Sekunde geleert, falls sie das Passwort dann noch enthält.</numerusform>
            <numerusform>Kopiert. Die Zwischenablage wird in %n Sekunden geleert, falls sie das Passwort dann noch enthält.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is enabled again and can sign in.</source>
        <translation>%1 ist wieder aktiviert und kann sich anmelden.</translation>
    </message>
    <message>
        <source>%1 is disabled; their open sessions have ended.</source>
        <translation>%1 ist deaktiviert; die offenen Sitzungen sind beendet.</translation>
    </message>
    <message>
        <source>Enable the account %1</source>
        <translation>Das Konto %1 aktivieren</translation>
    </message>
    <message>
        <source>Disable the account %1</source>
        <translation>Das Konto %1 deaktivieren</translation>
    </message>
    <message>
        <source>%1 is unlocked: the failed sign-ins are forgotten.</source>
        <translation>%1 ist entsperrt: Die fehlgeschlagenen Anmeldungen sind vergessen.</translation>
    </message>
    <message>
        <source>Unlock the account %1</source>
        <translation>Das Konto %1 entsperren</translation>
    </message>
    <message>
        <source>Ended the open sessions of %1.</source>
        <translation>Die offenen Sitzungen von %1 wurden beendet.</translation>
    </message>
    <message>
        <source>End every open session of %1</source>
        <translation>Jede offene Sitzung von %1 beenden</translation>
    </message>
    <message>
        <source>Reset the password of %1</source>
        <translation>Das Passwort von %1 zurücksetzen</translation>
    </message>
    <message>
        <source>The password of %1 is reset and their sessions have ended. Hand over this temporary password in person or by another channel; %1 must replace it at the next sign-in and is told it was reset.</source>
        <translation>Das Passwort von %1 ist zurückgesetzt und die Sitzungen sind beendet. Übergeben Sie dieses vorläufige Passwort persönlich oder auf einem anderen Weg; %1 muss es bei der nächsten Anmeldung ersetzen und erfährt, dass es zurückgesetzt wurde.</translation>
    </message>
    <message>
        <source>Reset the password of %1.</source>
        <translation>Das Passwort von %1 zurücksetzen.</translation>
    </message>
    <message>
        <source>Deleted %1. Their audit history stays under their name.</source>
        <translation>%1 gelöscht. Der Protokollverlauf bleibt unter dem Namen erhalten.</translation>
    </message>
    <message>
        <source>Delete the account %1</source>
        <translation>Das Konto %1 löschen</translation>
    </message>
    <message>
        <source>Say why the factor is removed: its owner is told.</source>
        <translation>Sagen Sie, warum der Faktor entfernt wird: Die Inhaberin oder der Inhaber erfährt es.</translation>
    </message>
    <message>
        <source>Removed the factor of %1; they are told why at their next sign-in.</source>
        <translation>Der Faktor von %1 wurde entfernt; bei der nächsten Anmeldung erfährt %1 den Grund.</translation>
    </message>
    <message>
        <source>Remove a factor of %1</source>
        <translation>Einen Faktor von %1 entfernen</translation>
    </message>
    <message>
        <source>%1 is the only administrator — make someone else one first, then delete %1.</source>
        <translation>%1 ist das einzige Administratorkonto — machen Sie zuerst jemand anderen zur Administration, dann löschen Sie %1.</translation>
    </message>
    <message>
        <source>%1 is the only administrator — make someone else one first, then disable %1.</source>
        <translation>%1 ist das einzige Administratorkonto — machen Sie zuerst jemand anderen zur Administration, dann deaktivieren Sie %1.</translation>
    </message>
    <message>
        <source>Any open session of %1 ends at once.</source>
        <translation>Jede offene Sitzung von %1 endet sofort.</translation>
    </message>
    <message>
        <source>%1 has no open session.</source>
        <translation>%1 hat keine offene Sitzung.</translation>
    </message>
    <message>
        <source>%1&apos;s open session ends at once.</source>
        <translation>Die offene Sitzung von %1 endet sofort.</translation>
    </message>
    <message>
        <source>%1&apos;s %2 open sessions end at once.</source>
        <translation>Die %2 offenen Sitzungen von %1 enden sofort.</translation>
    </message>
    <message>
        <source>Disable %1? %2 %1 cannot sign in until enabled again; nothing else changes.</source>
        <translation>%1 deaktivieren? %2 %1 kann sich erst nach erneutem Aktivieren anmelden; sonst ändert sich nichts.</translation>
    </message>
    <message>
        <source>End every open session of %1? %2 %1 can sign in again.</source>
        <translation>Jede offene Sitzung von %1 beenden? %2 %1 kann sich wieder anmelden.</translation>
    </message>
    <message>
        <source>Reset the password of %1? The current password stops working. %2 You get a one-time temporary password to hand over, valid 72 hours; %1 must replace it at the next sign-in.</source>
        <translation>Das Passwort von %1 zurücksetzen? Das aktuelle Passwort gilt dann nicht mehr. %2 Sie erhalten ein einmaliges vorläufiges Passwort zur Übergabe, 72 Stunden gültig; %1 muss es bei der nächsten Anmeldung ersetzen.</translation>
    </message>
    <message>
        <source>Its second factors and open sessions go with it.</source>
        <translation>Seine zweiten Faktoren und offenen Sitzungen verschwinden mit ihm.</translation>
    </message>
    <message>
        <source>It holds no second factor and no open session.</source>
        <translation>Es hat keinen zweiten Faktor und keine offene Sitzung.</translation>
    </message>
    <message>
        <source>Going with it: %1.</source>
        <translation>Damit verschwinden: %1.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <source>Delete %1? %2 The audit history stays under the name %1. This cannot be undone.</source>
        <translation>%1 löschen? %2 Der Protokollverlauf bleibt unter dem Namen %1 erhalten. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>this factor</source>
        <translation>diesen Faktor</translation>
    </message>
    <message>
        <source> It is %1&apos;s last second factor: as an administrator, %1 then signs in to a session restricted to adding a new one.</source>
        <translation> Es ist der letzte zweite Faktor von %1: Als Administratorkonto meldet sich %1 dann in einer Sitzung an, die nur einen neuen hinzufügen kann.</translation>
    </message>
    <message>
        <source> It is %1&apos;s last second factor: %1 then signs in with the password alone.</source>
        <translation> Es ist der letzte zweite Faktor von %1: %1 meldet sich dann nur mit dem Passwort an.</translation>
    </message>
    <message>
        <source>Remove %1 from %2? The sessions that used it end, and %2 is told why at the next sign-in.%3</source>
        <translation>%1 von %2 entfernen? Die Sitzungen, die ihn verwendet haben, enden, und %2 erfährt bei der nächsten Anmeldung den Grund.%3</translation>
    </message>
</context>
<context>
    <name>gh::ui::RetryCountdown</name>
    <message>
        <source>Too many failed attempts.</source>
        <translation>Zu viele Fehlversuche.</translation>
    </message>
</context>
<context>
    <name>gh::ui::RolesModel</name>
    <message>
        <source>no role</source>
        <translation>keine Rolle</translation>
    </message>
    <message>
        <source>no permissions</source>
        <translation>keine Berechtigungen</translation>
    </message>
    <message>
        <source>%1 now has the role %2.</source>
        <translation>%1 hat jetzt die Rolle %2.</translation>
    </message>
    <message>
        <source>Give %1 the role %2</source>
        <translation>%1 die Rolle %2 geben</translation>
    </message>
    <message>
        <source>%1 no longer has the role %2.</source>
        <translation>%1 hat die Rolle %2 nicht mehr.</translation>
    </message>
    <message>
        <source>Remove the role %1 from %2</source>
        <translation>%2 die Rolle %1 entziehen</translation>
    </message>
    <message>
        <source>Give the role a name.</source>
        <translation>Geben Sie der Rolle einen Namen.</translation>
    </message>
    <message>
        <source>Saved the role %1.</source>
        <translation>Die Rolle %1 wurde gespeichert.</translation>
    </message>
    <message>
        <source>Created the role %1.</source>
        <translation>Die Rolle %1 wurde angelegt.</translation>
    </message>
    <message>
        <source>Change the permissions of the role %1</source>
        <translation>Die Berechtigungen der Rolle %1 ändern</translation>
    </message>
    <message>
        <source>Create the role %1</source>
        <translation>Die Rolle %1 anlegen</translation>
    </message>
    <message>
        <source>Deleted the role %1.</source>
        <translation>Die Rolle %1 wurde gelöscht.</translation>
    </message>
    <message>
        <source>Delete the role %1</source>
        <translation>Die Rolle %1 löschen</translation>
    </message>
    <message>
        <source>%1 is the only administrator — make someone else one first. Removing %2 would leave nobody who can give or take roles.</source>
        <translation>%1 ist das einzige Administratorkonto — machen Sie zuerst jemand anderen zur Administration. Ohne %2 bliebe niemand, der Rollen vergeben oder entziehen kann.</translation>
    </message>
    <message>
        <source>Remove the role %1 from %2? %2 loses what it allows at once, also in sessions that are open now. You can give it back later.</source>
        <translation>%2 die Rolle %1 entziehen? %2 verliert sofort, was sie erlaubt, auch in gerade offenen Sitzungen. Sie können sie später wieder geben.</translation>
    </message>
    <message>
        <source>Gatehouse</source>
        <translation>Gatehouse</translation>
    </message>
    <message>
        <source>Application %1</source>
        <translation>Anwendung %1</translation>
    </message>
    <message>
        <source> (two-factor sign-in only)</source>
        <translation> (nur mit zweistufiger Anmeldung)</translation>
    </message>
</context>
<context>
    <name>gh::ui::SecurityKeyModel</name>
    <message>
        <source>Security key</source>
        <translation>Sicherheitsschlüssel</translation>
    </message>
</context>
<context>
    <name>gh::ui::SecurityModel</name>
    <message>
        <source>Always required</source>
        <translation>Immer erforderlich</translation>
    </message>
    <message>
        <source>%1 · %2 digits · %3 s</source>
        <translation>%1 · %2 Stellen · %3 s</translation>
    </message>
    <message>
        <source>Not confirmed yet (expires %1)</source>
        <translation>Noch nicht bestätigt (läuft ab %1)</translation>
    </message>
    <message>
        <source>%1 · attestation %2</source>
        <translation>%1 · Attestierung %2</translation>
    </message>
    <message>
        <source> · PIN or fingerprint</source>
        <translation> · PIN oder Fingerabdruck</translation>
    </message>
    <message numerus="yes">
        <source>%n code(s) left</source>
        <translation>
            <numerusform>noch %n Code</numerusform>
            <numerusform>noch %n Codes</numerusform>
        </translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>(your role needs two steps)</source>
        <translation>(Ihre Rolle braucht zwei Schritte)</translation>
    </message>
    <message>
        <source>Renamed to “%1”.</source>
        <translation>Umbenannt in „%1“.</translation>
    </message>
    <message>
        <source>That password is not right, so the factor was kept.</source>
        <translation>Das Passwort stimmt nicht, daher wurde der Faktor behalten.</translation>
    </message>
    <message>
        <source>This session used the factor you removed, so it has ended. Sign in again.</source>
        <translation>Diese Sitzung hat den entfernten Faktor verwendet und ist daher beendet. Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Factor removed.</source>
        <translation>Faktor entfernt.</translation>
    </message>
    <message>
        <source>Removing it ends your other sessions that used it.</source>
        <translation>Das Entfernen beendet Ihre anderen Sitzungen, die ihn verwendet haben.</translation>
    </message>
    <message>
        <source>It is your last second factor. Your role needs two steps, so this session drops to one-step sign-in and can only add a new factor, as can every sign-in until you do.</source>
        <translation>Es ist Ihr letzter zweiter Faktor. Ihre Rolle braucht zwei Schritte, daher fällt diese Sitzung auf die einstufige Anmeldung zurück und kann nur einen neuen Faktor hinzufügen – wie jede Anmeldung, bis Sie das tun.</translation>
    </message>
    <message>
        <source>It is your last second factor: this session drops to one-step sign-in and afterwards your password alone signs you in.</source>
        <translation>Es ist Ihr letzter zweiter Faktor: Diese Sitzung fällt auf die einstufige Anmeldung zurück, und danach meldet Sie Ihr Passwort allein an.</translation>
    </message>
    <message>
        <source>Type your password to confirm.</source>
        <translation>Geben Sie zur Bestätigung Ihr Passwort ein.</translation>
    </message>
</context>
<context>
    <name>gh::ui::SessionWatcher</name>
    <message>
        <source>You will be signed out in %1 because this window has been idle. Move the mouse or press a key to stay signed in.</source>
        <translation>Sie werden in %1 abgemeldet, weil dieses Fenster untätig war. Bewegen Sie die Maus oder drücken Sie eine Taste, um angemeldet zu bleiben.</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n Sekunde</numerusform>
            <numerusform>%n Sekunden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gh::ui::SessionsModel</name>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <source>%1 on %2 (pid %3)</source>
        <translation>%1 auf %2 (PID %3)</translation>
    </message>
    <message>
        <source>Session %1 was ended.</source>
        <translation>Sitzung %1 wurde beendet.</translation>
    </message>
    <message>
        <source>Your other sessions were ended.</source>
        <translation>Ihre anderen Sitzungen wurden beendet.</translation>
    </message>
</context>
<context>
    <name>gh::ui::factortext</name>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Authenticator app</source>
        <translation>Authenticator-App</translation>
    </message>
    <message>
        <source>Recovery codes</source>
        <translation>Wiederherstellungscodes</translation>
    </message>
    <message>
        <source>Security key</source>
        <translation>Sicherheitsschlüssel</translation>
    </message>
    <message>
        <source>Security key PIN or fingerprint</source>
        <translation>PIN oder Fingerabdruck des Sicherheitsschlüssels</translation>
    </message>
    <message>
        <source>password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>authenticator code</source>
        <translation>Authenticator-Code</translation>
    </message>
    <message>
        <source>recovery code</source>
        <translation>Wiederherstellungscode</translation>
    </message>
    <message>
        <source>security key</source>
        <translation>Sicherheitsschlüssel</translation>
    </message>
    <message>
        <source>key PIN</source>
        <translation>Schlüssel-PIN</translation>
    </message>
    <message>
        <source>Something you know</source>
        <translation>Etwas, das Sie wissen</translation>
    </message>
    <message>
        <source>Something you have</source>
        <translation>Etwas, das Sie besitzen</translation>
    </message>
    <message>
        <source>Something you are</source>
        <translation>Etwas, das Sie ausmacht</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>One-step sign-in</source>
        <translation>Einstufige Anmeldung</translation>
    </message>
    <message>
        <source>Two-step sign-in</source>
        <translation>Zweistufige Anmeldung</translation>
    </message>
    <message>
        <source>Two-step sign-in with a hardware key</source>
        <translation>Zweistufige Anmeldung mit Hardwareschlüssel</translation>
    </message>
    <message>
        <source>%1 · one kind of factor</source>
        <translation>%1 · eine Art von Faktor</translation>
    </message>
    <message>
        <source>%1 · two factors of different kinds</source>
        <translation>%1 · zwei Faktoren unterschiedlicher Art</translation>
    </message>
    <message>
        <source>%1 · hardware-backed multi-factor</source>
        <translation>%1 · hardwaregestützte Mehr-Faktor-Anmeldung</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicherung</translation>
    </message>
    <message>
        <source>Sign-in checks</source>
        <translation>Anmeldeprüfung</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>erlaubt</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>an unknown name</source>
        <translation>ein unbekannter Name</translation>
    </message>
</context>
</TS>
