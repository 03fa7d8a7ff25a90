// The e-mails the product sends, in Polish and English: pure functions from facts to subject, text and HTML.
export { acknowledgementEmail, type AcknowledgementEmailInput } from './acknowledgement-email';
export { departmentAssignmentEmail, type DepartmentAssignmentEmailInput } from './department-assignment-email';
export { reminderEmail, type ReminderEmailInput } from './reminder-email';
export { decisionEmail, decisionInputOf, decisionLetter, type DecisionEmailInput } from './decision-email';
export { deemedAcceptedEmail, type DeemedAcceptedEmailInput } from './deemed-accepted-email';
export { deadlinePassedAlertEmail, type DeadlinePassedAlertEmailInput } from './deadline-passed-alert-email';
export { bouncedAnswerAlertEmail, type BouncedAnswerAlertEmailInput } from './bounced-answer-alert-email';
export { extensionNoticeEmail, type ExtensionNoticeEmailInput } from './extension-notice-email';
export { informationRequestEmail, type InformationRequestEmailInput } from './information-request-email';
export { customerReplyEmail, type CustomerReplyEmailInput } from './customer-reply-email';
export { escapeHtml, type Block, type Letter, type RenderedEmail } from './email-layout';
export { formatCalendarDate, remedyWords } from './wording';
