import type { meetingEn } from './meeting.en.ts';

/**
 * German strings of the meeting page (media, toolbar, panels, chat, moderation) and the pages
 * after it; typed against the English ones.
 */
export const meetingDe: Record<keyof typeof meetingEn, string> = {
  'media.muteMic': 'Mikrofon stummschalten',
  'media.unmuteMic': 'Mikrofon einschalten',
  'media.cameraOff': 'Kamera ausschalten',
  'media.cameraOn': 'Kamera einschalten',
  'media.micIsOn': 'Mikrofon an',
  'media.micIsOff': 'Mikrofon aus',
  'media.camIsOn': 'Kamera an',
  'media.camIsOff': 'Kamera aus',
  'media.micError': 'Das Mikrofon konnte nicht gestartet werden.',
  'media.cameraError': 'Die Kamera konnte nicht gestartet werden.',

  'toolbar.muteMic': 'Stummschalten',
  'toolbar.unmuteMic': 'Mikrofon einschalten',
  'toolbar.cameraOff': 'Kamera ausschalten',
  'toolbar.cameraOn': 'Kamera einschalten',
  'toolbar.endForAll': 'Für alle beenden',
  'toolbar.leave': 'Verlassen',

  'meeting.connecting': 'Verbindung zur Besprechung wird hergestellt …',
  'meeting.videoGrid': 'Videoraster',
  'meeting.you': '{name} (Sie)',
  'meeting.controls': 'Steuerung der Besprechung',
  'meeting.participants': 'Teilnehmende',
  'meeting.chat': 'Chat',
  'meeting.leave': 'Besprechung verlassen',
  'meeting.endForAll': 'Besprechung für alle beenden',
  'meeting.end.title': 'Besprechung für alle beenden?',
  'meeting.end.text':
    'Alle Teilnehmenden werden getrennt, und die Links der Besprechung funktionieren nicht mehr.',
  'meeting.end.confirm': 'Besprechung beenden',
  'meeting.end.cancel': 'Abbrechen',
  'meeting.closePanel': 'Seitenleiste schließen',
  'meeting.count': '{count} in der Besprechung',
  'meeting.secure': 'Verschlüsselte Verbindung',
  'meeting.joined': '{name} ist der Besprechung beigetreten',
  'meeting.leftMeeting': '{name} hat die Besprechung verlassen',
  'meeting.alone': 'Sie sind noch allein hier. Teilen Sie den Teilnahmelink, um andere einzuladen.',

  'presence.online': 'Online',
  'presence.reconnecting': 'Verbindet neu',

  'chat.log': 'Chatnachrichten',
  'chat.recipient': 'Empfänger',
  'chat.everyone': 'Alle',
  'chat.message': 'Nachricht',
  'chat.send': 'Senden',
  'chat.private': 'Privat',
  'chat.privateTo': 'Private Nachricht an {name}',
  'chat.privateFrom': 'Private Nachricht an Sie',
  'chat.empty': 'Noch keine Nachrichten.',
  'chat.unread': '{count} ungelesen',
  'chat.newMessage': 'Neue Chatnachricht von {name}',
  'chat.sendFailed': 'Die Nachricht konnte nicht gesendet werden.',
  'chat.hint': 'Eingabetaste sendet, Umschalt+Eingabe fügt einen Zeilenumbruch ein.',
  'chat.unknownPerson': 'eine Person, die gegangen ist',

  'connection.lost': 'Verbindung unterbrochen. Neuer Versuch ({attempt} von {max}) …',
  'connection.failed': 'Die Verbindung zur Besprechung konnte nicht wiederhergestellt werden.',
  'connection.retry': 'Erneut versuchen',
  'connection.restored': 'Verbindung wiederhergestellt.',

  'sound.blocked': 'Ihr Browser hat die Tonwiedergabe blockiert.',
  'sound.enable': 'Ton aktivieren',

  'moderation.stopped.microphone':
    'Ein Moderator hat Ihr Mikrofon stummgeschaltet. Sie können es wieder einschalten, wenn Sie sprechen möchten.',
  'moderation.stopped.camera':
    'Ein Moderator hat Ihre Kamera ausgeschaltet. Sie können sie wieder einschalten.',
  'moderation.actionsFor': 'Aktionen für {name}',
  'moderation.mute': 'Stummschalten',
  'moderation.stopCamera': 'Kamera ausschalten',
  'moderation.makeModerator': 'Als Moderator/in einsetzen',
  'moderation.makePresenter': 'Als Präsentator/in einsetzen',
  'moderation.makeParticipant': 'Als Teilnehmer/in einsetzen',
  'moderation.remove': 'Entfernen',
  'moderation.removeAndBan': 'Entfernen und sperren',
  'moderation.muteAll': 'Alle stummschalten',
  'moderation.muteAllLabel': 'Alle anderen Teilnehmenden stummschalten',
  'moderation.remove.title': '{name} aus der Besprechung entfernen?',
  'moderation.remove.text':
    '{name} wird sofort getrennt und kann mit dem eigenen Link wiederkommen, soweit die Einlass-Einstellungen es erlauben.',
  'moderation.ban.title': '{name} entfernen und sperren?',
  'moderation.ban.text':
    '{name} wird sofort getrennt und kann dieser Besprechung von diesem Browser aus nicht erneut beitreten.',
  'moderation.cancel': 'Abbrechen',
  'moderation.done.mute': '{name} wurde stummgeschaltet.',
  'moderation.done.muteAll': 'Alle anderen wurden stummgeschaltet.',
  'moderation.done.stopCamera': 'Die Kamera von {name} wurde ausgeschaltet.',
  'moderation.done.role': '{name} hat jetzt die Rolle {role}.',
  'moderation.done.remove': '{name} wurde aus der Besprechung entfernt.',

  'left.heading': 'Sie haben die Besprechung verlassen',
  'left.text': 'Ihre Kamera und Ihr Mikrofon sind ausgeschaltet.',
  'left.expired': 'Ihre Sitzung ist abgelaufen. Treten Sie erneut bei, um fortzufahren.',
  'left.rejoin': 'Erneut beitreten',
  'left.signedOut': 'Sie wurden abgemeldet',
  'left.signedOutText':
    'Ihre Kontositzung ist beendet (anderswo abgemeldet oder das Konto wurde deaktiviert), daher haben Sie die Besprechung verlassen.',
  'ended.heading': 'Die Besprechung wurde beendet',
  'ended.text':
    'Eine Moderatorin oder ein Moderator hat die Besprechung für alle beendet. Vielen Dank für Ihre Teilnahme.',
  'ended.replaced': 'Sie sind dieser Besprechung in einem anderen Fenster oder Gerät beigetreten.',
  'ended.removed': 'Eine Moderatorin oder ein Moderator hat Sie aus der Besprechung entfernt.',
  'ended.bannedHeading': 'Sie wurden aus der Besprechung entfernt',
  'ended.banned':
    'Eine Moderatorin oder ein Moderator hat Sie aus dieser Besprechung entfernt und diesen Browser gesperrt. Sie können nicht erneut teilnehmen.',
};
