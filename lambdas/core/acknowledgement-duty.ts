import type { Complaint } from './complaint';
import type { DeadlinePolicy } from './deadline-policy';
import { addCalendarDays, nextDayNotSaturdayOrHoliday, warsawCalendarDate, type CalendarDate } from './calendar/polish-calendar';

export interface AcknowledgementDuty {
  /** The last day the acknowledgement may be given. */
  dueBy: CalendarDate;
  /** When it was first given, and how; absent while it is not. */
  metOn?: CalendarDate;
  how?: 'email' | 'handed_over' | 'letter' | 'phone';
}

/**
 * The acknowledgement of receipt the policy requires (telecom: the 2025 complaint regulation, Dz.U. 2025
 * poz. 1371, verify): at once, so the same day, for a complaint filed in person; within
 * `otherChannelsWithinDays` for one filed by post, courier, phone or e-mail (a web form counts as e-mail),
 * counted as the Civil Code counts terms (art. 111 §2, art. 115 KC). The product e-mails an acknowledgement
 * as soon as a complaint is stored; staff record one given otherwise. Undefined when the policy has no duty.
 */
export function acknowledgementDuty(
  policy: Pick<DeadlinePolicy, 'acknowledgement'>,
  complaint: Pick<Complaint, 'channel' | 'receivedOn' | 'acknowledgement' | 'acknowledgedOffline'>,
): AcknowledgementDuty | undefined {
  const duty = policy.acknowledgement;
  if (!duty) return undefined;
  const dueBy =
    complaint.channel === 'in_person'
      ? complaint.receivedOn
      : nextDayNotSaturdayOrHoliday(addCalendarDays(complaint.receivedOn, duty.otherChannelsWithinDays));
  const given = [
    ...(complaint.acknowledgement ? [{ on: warsawCalendarDate(new Date(complaint.acknowledgement.sentAt)), how: 'email' as const }] : []),
    ...(complaint.acknowledgedOffline ? [{ on: complaint.acknowledgedOffline.on, how: complaint.acknowledgedOffline.how }] : []),
  ].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))[0];
  return { dueBy, ...(given ? { metOn: given.on, how: given.how } : {}) };
}
