// Runs once, when the mongo image initialises an empty data directory (/docker-entrypoint-initdb.d, as the root
// user): one user per service, allowed to read and write its own database only (readWrite includes creating
// indexes, all the services do). Used by docker-compose.yml and by this overlay (kustomize reads files only below
// the overlay). Passwords come from files ($MONGO_SECRETS_DIR/mongo-<service>.password), never a command line.
const fs = require('fs');
const dir = process.env.MONGO_SECRETS_DIR || '/run/secrets';
const services = { 'comment-service': 'comments', 'moderation-service': 'moderation', 'notification-service': 'notification' };
for (const [user, database] of Object.entries(services)) {
  const pwd = fs.readFileSync(`${dir}/mongo-${user}.password`, 'utf8').trim();
  db.getSiblingDB(database).createUser({ user, pwd, roles: [{ role: 'readWrite', db: database }] });
  print(`mongo-create-users: ${user} on ${database}`);
}
