export { type AppServer, startAppServer } from "./app-server.js";
export * from "./fake-github.js";
export { as, type Person } from "./people.js";
export { type Delivery, eventLabel, signature, type WebhookEvent, webhookSender } from "./webhooks.js";
