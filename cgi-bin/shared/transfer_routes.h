/*
 * transfer_routes.h: the handlers of api.md 12, linked into both path
 * families of the vehicle handover: cgi-bin/sale (/api/sale/transfer/...,
 * kind "sale") and cgi-bin/transfer (/api/transfer/..., kind "owner").
 * The two CGIs differ only in their route tables: which roles may call,
 * which create handler (the kind) and which status handler (whether
 * admins may read any transfer). Every route writes (PF_WRITE): even the
 * status read may expire a transfer.
 */
#ifndef LTC_TRANSFER_ROUTES_H
#define LTC_TRANSFER_ROUTES_H

#include "http/request.h"

void	 transfer_h_create_sale(struct req *);
void	 transfer_h_create_owner(struct req *);
void	 transfer_h_redeem(struct req *);
void	 transfer_h_cancel(struct req *);
void	 transfer_h_extend(struct req *);
/* Status for initiator or redeemer only (sale family). */
void	 transfer_h_status_sale(struct req *);
/* Status for initiator, redeemer or ADM (owner family). */
void	 transfer_h_status_owner(struct req *);

#endif
