import type { accountEn } from './account.en.ts';

/**
 * German strings of the account page (sessions, password, second factors); typed against the
 * English ones.
 */
export const accountDe: Record<keyof typeof accountEn, string> = {
  'account.pageTitle': 'Ihr Konto',
  'account.eyebrow': 'Konto',
  'account.heading': 'Ihr Konto',
  'account.signedInAs': 'Angemeldet als {name} ({username}).',
  'account.roles': 'Rollen: {roles}',

  'sessions.heading': 'Aktive Sitzungen',
  'sessions.lead': 'Die Browser und Geräte, die bei Ihrem Konto angemeldet sind.',
  'sessions.started': 'Angemeldet {time}',
  'sessions.current': 'Diese Sitzung',
  'sessions.lastSeen': 'zuletzt aktiv {time}',
  'sessions.source': 'Netz {source}',
  'sessions.end': 'Beenden',
  'sessions.endLabel': 'Sitzung beenden, angemeldet {time}',
  'sessions.ended': 'Die Sitzung wurde beendet.',
  'sessions.endOthers': 'Überall sonst abmelden',
  'sessions.endedOthers': 'Beendete andere Sitzungen: {count}.',
  'method.password': 'Passwort',
  'method.sso': 'Single Sign-on',
  'method.totp': 'Authenticator-App',
  'method.webauthn': 'Passkey',
  'method.recovery': 'Wiederherstellungscode',
  'method.providerMfa': 'zweiter Faktor beim Identitätsanbieter',

  'changePassword.heading': 'Passwort ändern',
  'changePassword.current': 'Aktuelles Passwort',
  'changePassword.currentMissing': 'Bitte geben Sie Ihr aktuelles Passwort ein.',
  'changePassword.wrongCurrent': 'Das aktuelle Passwort ist falsch.',
  'changePassword.new': 'Neues Passwort',
  'changePassword.repeat': 'Neues Passwort wiederholen',
  'changePassword.submit': 'Passwort ändern',
  'changePassword.done': 'Ihr Passwort wurde geändert.',
  'changePassword.external':
    'Ihr Konto meldet sich über den Identitätsanbieter Ihrer Organisation an. Ändern Sie Ihr Passwort dort.',

  'factors.heading': 'Anmeldeschutz',
  'factors.lead': 'Ein zweiter Faktor schützt Ihr Konto, selbst wenn jemand Ihr Passwort erfährt.',
  'factors.leadRequired':
    'Ihre Rolle erfordert einen zweiten Faktor. Behalten Sie mindestens einen eingerichtet und Ihre Wiederherstellungscodes sicher.',
  'factors.on': 'Eingerichtet',
  'factors.off': 'Nicht eingerichtet',
  'factors.remove': 'Entfernen',
  'factors.totp': 'Authenticator-App',
  'factors.totpAdd': 'Authenticator-App einrichten',
  'factors.totpAdded': 'Die Authenticator-App ist eingerichtet.',
  'factors.totpRemove': 'Authenticator-App entfernen',
  'factors.totpRemove.title': 'Authenticator-App entfernen?',
  'factors.totpRemove.text': 'Ihre Codes funktionieren dann nicht mehr zur Anmeldung.',
  'factors.totpRemoved': 'Die Authenticator-App wurde entfernt.',
  'factors.passkeys': 'Passkeys',
  'factors.passkeyCount': '{count} registriert',
  'factors.passkeyAdd': 'Passkey hinzufügen',
  'factors.passkeyAdded': 'Der Passkey wurde hinzugefügt.',
  'factors.passkeyAddedOn': 'hinzugefügt {date}',
  'factors.passkeyLastUsed': 'zuletzt verwendet {date}',
  'factors.passkeyNeverUsed': 'noch nicht verwendet',
  'factors.passkeyRemoveLabel': 'Passkey {name} entfernen',
  'factors.passkeyRemove.title': 'Passkey „{name}“ entfernen?',
  'factors.passkeyRemove.text': 'Er funktioniert dann nicht mehr zur Anmeldung.',
  'factors.passkeyRemoved': 'Der Passkey „{name}“ wurde entfernt.',
  'factors.recovery': 'Wiederherstellungscodes',
  'factors.recoveryLeft':
    'Unbenutzte Codes: {count}. Jeder funktioniert einmal, falls Telefon oder Schlüssel verloren gehen.',
  'factors.recoveryNone': 'Sie werden mit Ihrem ersten zweiten Faktor erstellt.',
  'factors.recoveryNew': 'Neue Codes erstellen',
  'factors.recoveryNew.title': 'Neue Wiederherstellungscodes erstellen?',
  'factors.recoveryNew.text':
    'Ihre bisherigen Wiederherstellungscodes funktionieren dann nicht mehr.',
  'factors.recoveryNew.confirm': 'Neue Codes erstellen',
  'factors.lastFactor':
    'Ihre Rolle erfordert einen zweiten Faktor: Fügen Sie zuerst einen weiteren hinzu, bevor Sie diesen entfernen.',
};
