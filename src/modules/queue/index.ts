/** Queue module: centers' windows, tickets, appointments, live display events and satisfaction surveys. */
export { queueRoutes } from './routes.ts';
export { issueTicket, callNextTicket, actOnTicket, estimateWait, getDailyReport, TICKET_TRANSITIONS } from './service.ts';
export { QUEUE_CHANNEL, type QueueEvent } from './events.ts';
export { PRIORITIES, TICKET_STATUSES } from './schema.ts';
