import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { IMAGE_FILE_NAME_HEADER, imageSettingsSchema } from "@/lib/plan/planImage";
import { ApiError, apiHandler, notFound, readJson } from "@/server/http/apiHandler";
import { ImageRefused } from "@/server/store/imageStore";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ planId: string }>(async ({ params, ctx }) => {
  if (!(await ctx.plans.get(params.planId))) throw notFound("Plan");
  return { uploadedImage: await ctx.images.get(params.planId) };
});

/**
 * Uploads the plan's VM image: the request body is the file, streamed to disk as it arrives; its
 * name (URI-encoded) in X-File-Name. Replaces an image uploaded before. Answers what was stored.
 */
export const PUT = apiHandler<{ planId: string }>(async ({ request, params, ctx }) => {
  if (!request.body) throw new ApiError(400, { error: "Send the image file as the request body." });
  const fileName = decodeFileName(request.headers.get(IMAGE_FILE_NAME_HEADER));
  const length = request.headers.get("content-length");
  try {
    const body = Readable.fromWeb(request.body as WebReadableStream<Uint8Array>);
    return { uploadedImage: await ctx.images.receive(params.planId, fileName, body, length ? Number(length) : undefined) };
  } catch (error) {
    throw refusal(error);
  }
});

/** Changes who signs in to VMs booted from the image. */
export const PATCH = apiHandler<{ planId: string }>(async ({ request, params, ctx }) => {
  const { loginUser } = imageSettingsSchema.parse(await readJson(request));
  const uploadedImage = await ctx.images.setLoginUser(params.planId, loginUser);
  if (!uploadedImage) throw notFound("Uploaded image");
  return { uploadedImage };
});

export const DELETE = apiHandler<{ planId: string }>(async ({ params, ctx }) => {
  if (!(await ctx.plans.get(params.planId))) throw notFound("Plan");
  await ctx.images.remove(params.planId);
  return { uploadedImage: null };
});

function decodeFileName(header: string | null): string {
  try {
    return header ? decodeURIComponent(header) : "image";
  } catch {
    return header ?? "image";
  }
}

/** The store's refusal with its status (by name: the route bundle has its own copy of the class). */
function refusal(error: unknown): unknown {
  if (error instanceof ImageRefused || (error instanceof Error && error.name === "ImageRefused")) {
    return new ApiError((error as ImageRefused).status, { error: error.message });
  }
  // The browser stopped sending (the user stopped the upload, the tab closed): nothing was stored.
  if ((error as { code?: string }).code === "ECONNRESET" || (error instanceof Error && error.message === "aborted")) {
    return new ApiError(400, { error: "The upload was cut off before the whole file arrived; nothing was stored." });
  }
  return error;
}
