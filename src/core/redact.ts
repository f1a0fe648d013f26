/**
 * Hides credentials wherever a URL appears in text: `scheme://user:password@`, `scheme://:password@`
 * (a password alone), passwords holding `@` (the last `@` of the authority ends them), and secret
 * query parameters (`?password=`, `&token=`…). A username alone is kept: it is not a secret and
 * says which account was used.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi, (_match, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':')
      return colon === -1 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`
    })
    .replace(SECRET_PARAMETER, '$1***')
}

const SECRET_NAMES = 'password|passwd|pass|pwd|secret|token|auth|authtoken|access_token|api_key|apikey|key|sslpassword'
const SECRET_PARAMETER = new RegExp(`([?&;](?:${SECRET_NAMES})=)[^&;\\s#]*`, 'gi')
