import { ZodError } from "zod";
import { AuthError } from "../auth/auth";
import { appContext, type AppContext } from "../context";
import { DeployRefused } from "../deploy/deployJob";
import { PlanUpdateError } from "../store/planStore";
import { SecretBoxError } from "../secrets/secretBox";

/** An API failure with the status and the JSON body to answer with. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: { error: string; [key: string]: unknown },
  ) {
    super(body.error);
  }
}

export const notFound = (what: string) => new ApiError(404, { error: `${what} not found.` });

type RouteContext<P> = { params: Promise<P> };

type ErrorClass<T extends Error> = abstract new (...args: never[]) => T;
/**
 * Next's route bundle and the custom server each load their own copy of the server's modules, so
 * an error thrown by the context's copy is not `instanceof` the bundle's class: known errors are
 * told apart by the name each class gives itself.
 */
function isError<T extends Error>(error: unknown, kind: ErrorClass<T>, name: T["name"]): error is T {
  return error instanceof kind || (error instanceof Error && error.name === name);
}

/**
 * Wraps a route handler: gives it the app context and its params, and turns every failure into a
 * JSON answer with a plain message (never a stack trace).
 */
export function apiHandler<P>(handler: (input: { request: Request; params: P; ctx: AppContext }) => Promise<Response | unknown>) {
  return async (request: Request, route: RouteContext<P>): Promise<Response> => {
    try {
      const result = await handler({ request, params: await route.params, ctx: await appContext() });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      if (isError(error, ApiError, "ApiError")) return Response.json(error.body, { status: error.status });
      if (isError(error, AuthError, "AuthError")) {
        const headers: Record<string, string> = error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : {};
        return Response.json({ error: error.message, retryAfterSeconds: error.retryAfterSeconds }, { status: error.status, headers });
      }
      if (isError(error, DeployRefused, "DeployRefused")) return Response.json({ error: error.message, ...error.details }, { status: error.status });
      if (isError(error, PlanUpdateError, "PlanUpdateError")) return Response.json({ error: error.message, path: error.path }, { status: 400 });
      if (isError(error, SecretBoxError, "SecretBoxError")) return Response.json({ error: `A stored secret cannot be read: ${error.message}` }, { status: 500 });
      if (isError(error, ZodError, "ZodError")) {
        return Response.json({ error: "The request is not valid.", issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) }, { status: 400 });
      }
      console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error);
      return Response.json({ error: "Something went wrong on the server; see its console." }, { status: 500 });
    }
  };
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ApiError(400, { error: "The request body is not valid JSON." });
  }
}
