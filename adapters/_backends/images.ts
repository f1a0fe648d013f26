/** Pinned container images, shared with docker-compose.yml (a test keeps the two in step). */
export const IMAGES = {
  redis: 'redis:7.4-alpine',
  mongo: 'mongo:7.0',
  postgres: 'postgres:16-alpine',
  mysql: 'mysql:8.4',
  memcached: 'memcached:1.6-alpine',
} as const
