/** Maven version strings (Logstash's `maven` file); identical in both modes. */
export const legacy = String.raw`
MAVEN_VERSION (?:(?:\d+)\.)?(?:(?:\d+)\.)?(?:\*|\d+)(?:[.-](?:RELEASE|SNAPSHOT))?
`;

export const ecsV1 = legacy;
