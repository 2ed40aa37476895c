/** Unverified points of the Mixcloud spec (§6), as options. */
export interface MixcloudEmulatorOptions {
  /** HTTP status of OAuthException answers (spec: 400 in the Facebook-style convention, 401 in one mock). */
  readonly oauthErrorStatus: number;
  /** Largest `limit` honoured. */
  readonly maxLimit: number;
  /** `/me/` answers 302 to the user instead of the user itself. */
  readonly meRedirects: boolean;
  /** `/oauth/authorize` approves at once (302 to `redirect_uri?code=`); off: denies (`?error=access_denied`). */
  readonly autoApprove: boolean;
  /** Accept urlencoded edit bodies (aiomixcloud sends them for a picture-less edit); real Mixcloud wants multipart. */
  readonly acceptUrlencodedEdit: boolean;
  readonly mp3MaxSize: number;
  readonly pictureMaxSize: number;
  /** Requests per token (or anonymous) per virtual minute before RateLimitException; 0 = off. */
  readonly rateLimitPerMinute: number;
}

export const defaultMixcloudOptions: MixcloudEmulatorOptions = {
  oauthErrorStatus: 400,
  maxLimit: 100,
  meRedirects: false,
  autoApprove: true,
  acceptUrlencodedEdit: true,
  mp3MaxSize: 4_294_967_296,
  pictureMaxSize: 10_485_760,
  rateLimitPerMinute: 0,
};
