<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Audit</name>
    <message numerus="yes">
        <source>%Ln shown, more as you scroll</source>
        <translation>
            <numerusform>%Ln shown, more as you scroll</numerusform>
            <numerusform>%Ln shown, more as you scroll</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>%Ln event</numerusform>
            <numerusform>%Ln events</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>People</name>
    <message numerus="yes">
        <source>%1 of %Ln account(s)</source>
        <translation>
            <numerusform>%1 of %Ln account</numerusform>
            <numerusform>%1 of %Ln accounts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln account(s)</source>
        <translation>
            <numerusform>%Ln account</numerusform>
            <numerusform>%Ln accounts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message numerus="yes">
        <source>Delete the role %1? The %Ln account(s) holding it lose what it allows at once.</source>
        <translation>
            <numerusform>Delete the role %1? The account holding it loses what it allows at once.</numerusform>
            <numerusform>Delete the role %1? The %Ln accounts holding it lose what it allows at once.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gh::ui::AuditModel</name>
    <message numerus="yes">
        <source>Chain intact: %Ln event(s), each linked to the one before (checked at %1).</source>
        <translation>
            <numerusform>Chain intact: %Ln event, each linked to the one before (checked at %1).</numerusform>
            <numerusform>Chain intact: %Ln events, each linked to the one before (checked at %1).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gh::ui::HealthModel</name>
    <message numerus="yes">
        <source>%n locked</source>
        <translation>
            <numerusform>%n locked</numerusform>
            <numerusform>%n locked</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n throttled</source>
        <translation>
            <numerusform>%n throttled</numerusform>
            <numerusform>%n throttled</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n session(s)</source>
        <translation>
            <numerusform>%n session</numerusform>
            <numerusform>%n sessions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n admin(s)</source>
        <translation>
            <numerusform>%n admin</numerusform>
            <numerusform>%n admins</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gh::ui::HomeModel</name>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>%n min left</numerusform>
            <numerusform>%n min left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gh::ui::PeopleModel</name>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n seconds if it still holds the password.</source>
        <translation>
            <numerusform>Copied. The clipboard is cleared in %n seconds if it still holds the password.</numerusform>
            <numerusform>Copied. The clipboard is cleared in %n seconds if it still holds the password.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second factor(s)</source>
        <translation>
            <numerusform>%n second factor</numerusform>
            <numerusform>%n second factors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open session(s)</source>
        <translation>
            <numerusform>%n open session</numerusform>
            <numerusform>%n open sessions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n code(s) left</source>
        <translation>
            <numerusform>%n code left</numerusform>
            <numerusform>%n codes left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gh::ui::SecurityModel</name>
    <message numerus="yes">
        <source>%n code(s) left</source>
        <translation>
            <numerusform>%n code left</numerusform>
            <numerusform>%n codes left</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gh::ui::SessionWatcher</name>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
</context>
</TS>
